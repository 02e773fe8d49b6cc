FROM node:20-bookworm-slim
WORKDIR /app
# The install compiles src/ to dist/ (postinstall), so the sources go in first.
COPY . .
RUN npm ci
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
EXPOSE 3000
# Migrations run at start-up; SIGTERM closes the server gracefully.
CMD ["node", "dist/server.js"]
