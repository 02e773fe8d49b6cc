// The OpenAPI document as the fuzzer reads it: every operation, with its parameters and body schema, references resolved.

// biome-ignore lint/suspicious/noExplicitAny: OpenAPI schemas and JSON bodies of any shape are walked freely.
export type Loose = any;
export type Schema = Record<string, Loose>;

export interface Param {
  name: string;
  in: 'query' | 'path' | 'header';
  required: boolean;
  schema: Schema;
}

export interface Operation {
  method: string;
  /** The OpenAPI path template, e.g. /actors/{id}. */
  path: string;
  id: string;
  params: Param[];
  body?: Schema;
  bodyTypes: string[];
  secured: boolean;
}

/** Every operation of the document, with its references resolved. */
export function operationsOf(doc: Schema): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries<Schema>(doc.paths ?? {})) {
    for (const [method, op] of Object.entries<Schema>(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete', 'head', 'options'].includes(method)) continue;
      const params: Param[] = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: Schema) => {
        const param = resolve(doc, p);
        return { name: param.name, in: param.in, required: !!param.required, schema: resolve(doc, param.schema ?? {}) };
      });
      const content = resolve(doc, op.requestBody ?? {}).content ?? {};
      const bodyTypes = Object.keys(content);
      const body = bodyTypes.length ? resolve(doc, content[bodyTypes[0]].schema ?? {}) : undefined;
      ops.push({
        method: method.toUpperCase(),
        path,
        id: op.operationId ?? `${method} ${path}`,
        params,
        body,
        bodyTypes,
        secured: Array.isArray(op.security) && op.security.length > 0,
      });
    }
  }
  return ops;
}

/** `s` with its $ref (and its target's, and so on) replaced by what it points to. */
export function resolve(doc: Schema, s: Schema): Schema {
  let seen = 0;
  while (s && typeof s.$ref === 'string' && seen++ < 20) {
    const target = s.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((o: Schema | undefined, k: string) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
    // Keep what sits beside the $ref (a default, a description) over the target's.
    const { $ref: _ignored, ...rest } = s;
    s = { ...target, ...rest };
  }
  return s;
}
