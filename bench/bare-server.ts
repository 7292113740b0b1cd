/**
 * The baseline of `npm run bench`: a bare Fastify 5 server on 127.0.0.1 answering one small JSON body, started as
 * a child process like the reference server, so both are driven by the same client through a real socket.
 * Prints `{"port":N}` once it listens.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/bare', async () => ({ ok: true }));
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
