import type { FastifySchema, FastifySchemaCompiler } from 'fastify';

/**
 * A route validator for requests a domain parser checks itself (promotions, tax rules). The route's zod
 * schema still describes the request in /openapi.json, but the parser decides and names the field its
 * own way ("promotions[2].percentBp", the name the pricing engine and the tills use), and the handler
 * gets the request as sent, so what is stored is what was published, without defaults filled in.
 */
export const checkedBy =
  (parse: (input: unknown) => unknown): FastifySchemaCompiler<FastifySchema> =>
  () =>
  (data: unknown) => {
    try {
      parse(data);
      return { value: data };
    } catch (err) {
      // A TallyError reaches the shared error handler as it is: 400 naming the parser's field.
      return { error: err instanceof Error ? err : new Error(String(err)) };
    }
  };
