export * from './server.js';
export * from './http/auth.js';
export * from './http/validate.js';
export * from './http/problem.js';
export * from './sockets/socket-auth.js';
