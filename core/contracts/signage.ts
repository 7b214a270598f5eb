/**
 * Socket events, HTTP payloads and bus payloads of the signage service: types and zod schemas,
 * defined once here and used by the service, the gateway and the clients.
 */
export {};
