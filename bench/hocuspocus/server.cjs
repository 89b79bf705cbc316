// Hocuspocus, the comparison server of `make bench-coediting`
// (bench/coediting.py): node server.cjs <port> <storage directory>.
// Persistence as its documentation shows it: the Database extension, whose
// store hook Hocuspocus calls debounced (2 s after the last change, at most
// every 10 s, and when the last client leaves) with the whole document's
// state; here written to one file per document (written, then renamed).
const fs = require("node:fs/promises");
const path = require("node:path");
const { Server } = require("@hocuspocus/server");
const { Database } = require("@hocuspocus/extension-database");

const [port, directory] = process.argv.slice(2);
const fileOf = (name) =>
  path.join(directory, encodeURIComponent(name) + ".ystate");

const server = new Server({
  port: Number(port),
  address: "127.0.0.1",
  quiet: true,
  debounce: 2000,
  maxDebounce: 10000,
  extensions: [
    new Database({
      fetch: async ({ documentName }) => {
        try {
          return await fs.readFile(fileOf(documentName));
        } catch {
          return null;
        }
      },
      store: async ({ documentName, state }) => {
        const file = fileOf(documentName);
        await fs.writeFile(file + ".tmp", state);
        await fs.rename(file + ".tmp", file);
      },
    }),
  ],
});

server.listen().then(() => console.log("listening"));
process.on("SIGTERM", () => server.destroy().then(() => process.exit(0)));
