/**
 * HAR 1.2 as the specification writes it (http://www.softwareishard.com/blog/har-12-spec/),
 * as strict zod schemas. Real producers deviate from it all the time; the
 * reader never rejects an entry because of these schemas — it reads every
 * entry leniently (normalize.ts) and turns each schema issue into a
 * validation note (validate.ts). Unknown keys are reported by the strict
 * objects; keys starting with `_` are allowed custom fields and only noted as info.
 */
import { z } from "zod";

const comment = z.string().optional();

export const nameValueSchema = z.strictObject({
  name: z.string(),
  value: z.string(),
  comment,
});

export const cookieSchema = z.strictObject({
  name: z.string(),
  value: z.string(),
  path: z.string().optional(),
  domain: z.string().optional(),
  expires: z.string().optional(),
  httpOnly: z.boolean().optional(),
  secure: z.boolean().optional(),
  comment,
});

export const postParamSchema = z.strictObject({
  name: z.string(),
  value: z.string().optional(),
  fileName: z.string().optional(),
  contentType: z.string().optional(),
  comment,
});

export const postDataSchema = z.strictObject({
  mimeType: z.string(),
  params: z.array(postParamSchema).optional(),
  text: z.string().optional(),
  comment,
});

export const requestSchema = z.strictObject({
  method: z.string(),
  url: z.string(),
  httpVersion: z.string(),
  cookies: z.array(cookieSchema),
  headers: z.array(nameValueSchema),
  queryString: z.array(nameValueSchema),
  postData: postDataSchema.optional(),
  headersSize: z.number(),
  bodySize: z.number(),
  comment,
});

export const contentSchema = z.strictObject({
  size: z.number(),
  compression: z.number().optional(),
  mimeType: z.string(),
  text: z.string().optional(),
  encoding: z.string().optional(),
  comment,
});

export const responseSchema = z.strictObject({
  status: z.number(),
  statusText: z.string(),
  httpVersion: z.string(),
  cookies: z.array(cookieSchema),
  headers: z.array(nameValueSchema),
  content: contentSchema,
  redirectURL: z.string(),
  headersSize: z.number(),
  bodySize: z.number(),
  comment,
});

const cacheEntrySchema = z.strictObject({
  expires: z.string().optional(),
  lastAccess: z.string(),
  eTag: z.string(),
  hitCount: z.number(),
  comment,
});

export const cacheSchema = z.strictObject({
  beforeRequest: cacheEntrySchema.nullable().optional(),
  afterRequest: cacheEntrySchema.nullable().optional(),
  comment,
});

export const timingsSchema = z.strictObject({
  blocked: z.number().optional(),
  dns: z.number().optional(),
  connect: z.number().optional(),
  send: z.number(),
  wait: z.number(),
  receive: z.number(),
  ssl: z.number().optional(),
  comment,
});

export const entrySchema = z.strictObject({
  pageref: z.string().optional(),
  startedDateTime: z.string(),
  time: z.number(),
  request: requestSchema,
  response: responseSchema,
  cache: cacheSchema,
  timings: timingsSchema,
  serverIPAddress: z.string().optional(),
  connection: z.string().optional(),
  comment,
});

export const creatorSchema = z.strictObject({
  name: z.string(),
  version: z.string(),
  comment,
});

export const pageSchema = z.strictObject({
  startedDateTime: z.string(),
  id: z.string(),
  title: z.string(),
  pageTimings: z.strictObject({
    onContentLoad: z.number().optional(),
    onLoad: z.number().optional(),
    comment,
  }),
  comment,
});

/** `log` without its entries (those are validated one by one). */
export const logHeaderSchema = z.strictObject({
  version: z.string(),
  creator: creatorSchema,
  browser: creatorSchema.optional(),
  pages: z.array(pageSchema).optional(),
  comment,
});

export type HarEntry = z.infer<typeof entrySchema>;
export type HarCreator = z.infer<typeof creatorSchema>;
export type HarPage = z.infer<typeof pageSchema>;
