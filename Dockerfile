FROM node:20-bookworm-slim
WORKDIR /app
# The install compiles src/ to dist/ (postinstall), so the sources go in first.
COPY . .
RUN npm ci
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
EXPOSE 3000
# Migrations run at start-up; SIGTERM closes the server gracefully. The flags are npm start's (package.json):
# V8 keeps its heap close to what is in use (README, Under load).
CMD ["node", "--max-semi-space-size=2", "--heap-growing-percent=30", "--v8-pool-size=1", "dist/server.js"]
