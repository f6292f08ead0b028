// Runs SPARQL queries with Comunica (an engine this project did not write) on
// one RDF file and prints their SPARQL JSON results as one JSON object.
//   node comunica.mjs DATA.nt QUERIES.json   (QUERIES.json: {"name": "query text", ...})
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";

const [data, queriesFile] = process.argv.slice(2);
// Resolved from the folder npm installed into (NODE_PATH), not from this file's folder.
const require = createRequire(resolve(process.env.NODE_PATH || ".", "noop.js"));
const { QueryEngine } = require("@comunica/query-sparql-file");

const engine = new QueryEngine();
const queries = JSON.parse(readFileSync(queriesFile, "utf8"));
const out = {};
for (const [name, text] of Object.entries(queries)) {
  const result = await engine.query(text, { sources: [{ type: "file", value: resolve(data) }] });
  const { data: stream } = await engine.resultToString(result, "application/sparql-results+json");
  let body = "";
  for await (const chunk of stream) body += chunk;
  out[name] = JSON.parse(body);
}
process.stdout.write(JSON.stringify(out));
