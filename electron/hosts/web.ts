/** `npm run web`: browser mode. Prints the URL (with its token) to open in any browser. */
import { startWebServer } from './web-server.ts';

const port = process.env.LONGHAND_PORT ? Number(process.env.LONGHAND_PORT) : 0;
const server = await startWebServer({ port });
console.log(`Longhand is running in browser mode.\nOpen: ${server.appUrl}\n(data folder: ${server.engine.paths.home}; Ctrl+C to stop)`);
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
