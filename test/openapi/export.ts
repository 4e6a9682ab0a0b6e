// npm run openapi:export: writes the OpenAPI document to infra/terraform/openapi.json, the copy API
// Management imports (infra/terraform/apim.tf) and generates its per-operation policies from
// (apim-operations.tf). test/openapi/document.test.ts fails while the copy is stale.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildOpenApiDocument } from '../../shared/http/openapi/document.js';

const target = resolve(process.cwd(), 'infra/terraform/openapi.json');
writeFileSync(target, JSON.stringify(buildOpenApiDocument(), null, 2) + '\n');
process.stdout.write(`wrote ${target}\n`);
