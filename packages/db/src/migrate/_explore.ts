import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import pg from 'pg'
import { PrismaPg } from '@prisma/adapter-pg'
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils'
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg'

const require = createRequire(import.meta.url)
const wasmPath = join(dirname(require.resolve('@prisma/schema-engine-wasm')), 'schema_engine_bg.wasm')
const mod = new WebAssembly.Module(readFileSync(wasmPath))
const inst = new WebAssembly.Instance(mod, { './schema_engine_bg.js': bg as unknown as WebAssembly.ModuleImports })
bg.__wbg_set_wasm(inst.exports)
;(inst.exports.__wbindgen_start as () => void)()
console.log('version', bg.version())

const url = process.argv[2]!
const schemaPath = '/tmp/migtest/schema.prisma'
const schema = readFileSync(schemaPath, 'utf8')
const pool = new pg.Pool({ connectionString: url })
const MODE = process.env.MODE ?? 'text'
const fix = (res: any) => { for (const r of Array.isArray(res) ? res : [res]) for (const f of r?.fields ?? []) if (f.dataTypeID === 18) { if (process.env.SHOW) console.log('char col', f.name); f.dataTypeID = MODE === 'text' ? 25 : 1042 } return res }
pool.on('connect', (client: any) => {
  const orig = client.query.bind(client)
  client.query = (...args: any[]) => {
    const last = args[args.length - 1]
    if (typeof last === 'function') { args[args.length - 1] = (err: unknown, res: unknown) => last(err, err ? res : fix(res)) ; return orig(...args) }
    const r = orig(...args)
    return r && typeof r.then === 'function' ? r.then(fix) : r
  }
})
const factory = bindMigrationAwareSqlAdapterFactory(new PrismaPg(pool))
const engine = await bg.SchemaEngine.new({ datamodels: [[schemaPath, schema]] }, (m: string) => { if (process.env.LOGS) console.log('LOG', m) }, factory)
const filters = { externalTables: [], externalEnums: [] }
const files = { files: [{ path: schemaPath, content: schema }] }
const tryit = async (label: string, f: () => Promise<unknown>) => {
  try { const r = await f(); console.log('==', label, JSON.stringify(r).slice(0, 600)) } catch (e) { console.log('!!', label, e instanceof Error ? e.message.slice(0, 600) : e) }
}
await tryit('empty->schema', () => engine.diff({ from: { tag: 'empty' }, to: { tag: 'schemaDatamodel', ...files }, script: true, exitCode: null, filters }))
await tryit('url->schema', () => engine.diff({ from: { tag: 'url', url }, to: { tag: 'schemaDatamodel', ...files }, script: true, exitCode: null, filters }))
await tryit('url(bogus)->schema', () => engine.diff({ from: { tag: 'url', url: 'postgresql://nope@1.2.3.4/x' }, to: { tag: 'schemaDatamodel', ...files }, script: true, exitCode: null, filters }))
await tryit('schemaDatasource->schema', () => engine.diff({ from: { tag: 'schemaDatasource', ...files, configDir: '/tmp/migtest' }, to: { tag: 'schemaDatamodel', ...files }, script: true, exitCode: null, filters }))
const r0 = await engine.diff({ from: { tag: 'empty' }, to: { tag: 'schemaDatamodel', ...files }, script: true, exitCode: null, filters }); if (process.env.APPLY) { await pool.query(r0.stdout!) ; console.log('applied') }
await tryit('schemaDatasource->schema after', () => engine.diff({ from: { tag: 'schemaDatasource', ...files, configDir: '/tmp/migtest' }, to: { tag: 'schemaDatamodel', ...files }, script: true, exitCode: null, filters }))
await tryit('version', () => engine.version())
engine.free()
await pool.end()
console.log('done')
