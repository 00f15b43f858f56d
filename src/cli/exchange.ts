import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { FIELD_KINDS, GazetteError, isGazetteError, type FieldKind } from '../domain/index.js';
import {
  addContentField,
  exchangeType,
  exportItems,
  importItems,
  listContentTypes,
  removeContentField,
  systemActor,
  type ContentTypeView,
} from '../services/index.js';
import { fromJson, fromXlsx, toJson, toXlsx, type ReadFile } from './exchange-formats.js';
import { publishingRuntime } from './publishing.js';
import { openRuntime, siteIdOf, type Runtime } from './runtime.js';

/**
 * `gazette export`, `gazette import --type` and `gazette fields`: a content type's items to a
 * file and back, and the fields a site adds to a type.
 */

const EXPORT_USAGE = 'gazette export --type TYPE [--format json|xlsx] [--out FILE]   (xlsx needs --out)';
const IMPORT_USAGE = 'gazette import --type TYPE [--format json|xlsx] FILE…';
const FIELDS_USAGE = [
  'gazette fields list --type TYPE [--json]',
  '       gazette fields add --type TYPE --name NAME --label LABEL --kind KIND [--options a,b] [--required] [--max-length N] [--help TEXT]',
  '       gazette fields remove --type TYPE --name NAME [--force]   (--force archives the values first)',
].join('\n');

type Format = 'json' | 'xlsx';

function formatOf(given: string | undefined, file: string | undefined, usage: string): Format {
  const format = given ?? (file && /\.xlsx$/i.test(file) ? 'xlsx' : 'json');
  if (format !== 'json' && format !== 'xlsx')
    throw new GazetteError('USAGE', { reason: `--format is json or xlsx, not "${format}"\n${usage}` });
  return format;
}

function requireType(type: string | undefined, usage: string): string {
  if (type === undefined || type.trim() === '')
    throw new GazetteError('USAGE', { reason: `--type is required\n${usage}` });
  return type.trim();
}

/** The runtime on the site of `--site` (or the only one). */
async function onSite(runtime: Runtime): Promise<Runtime> {
  return { ...runtime, siteId: await siteIdOf(runtime) };
}

/** `gazette export --type T [--format json|xlsx] [--out FILE]`: JSON to stdout without --out. */
export async function exportCommand(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { type: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
  });
  const typeName = requireType(values.type, EXPORT_USAGE);
  const format = formatOf(values.format, values.out, EXPORT_USAGE);
  if (format === 'xlsx' && values.out === undefined)
    throw new GazetteError('USAGE', { reason: `an xlsx export needs --out FILE\n${EXPORT_USAGE}` });
  const opened = await openRuntime();
  try {
    const runtime = await onSite(opened);
    const exported = await exportItems(runtime, systemActor('gazette export'), typeName);
    const data = format === 'xlsx' ? await toXlsx(exported) : toJson(exported);
    if (values.out === undefined) {
      process.stdout.write(data);
      return 0;
    }
    await fs.writeFile(values.out, data);
    const n = exported.items.length;
    console.log(
      runtime.config.lang === 'zh'
        ? `已导出 ${n} 项${exported.type.label}到 ${values.out}`
        : `exported ${n} items of ${exported.type.label} to ${values.out}`,
    );
    return 0;
  } finally {
    await opened.store.close();
  }
}

async function readExchangeFile(runtime: Runtime, typeName: string, file: string, format: Format): Promise<ReadFile> {
  let data: Buffer;
  try {
    data = await fs.readFile(file);
  } catch (cause) {
    throw new GazetteError('IMPORT_FILE_MISSING', {}, { file }, cause);
  }
  const type = await exchangeType(runtime, systemActor('gazette import'), typeName);
  return format === 'xlsx' ? fromXlsx(data, type, file) : fromJson(data.toString('utf8'), type, file);
}

/**
 * `gazette import --type T FILE…`: each file in one transaction, a line per file on stdout
 * (created and updated), its first bad row on stderr; exit 1 when any file failed.
 */
export async function importItemsCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { type: { type: 'string' }, format: { type: 'string' } },
  });
  const typeName = requireType(values.type, IMPORT_USAGE);
  if (positionals.length === 0) throw new GazetteError('USAGE', { reason: IMPORT_USAGE });
  const opened = await openRuntime();
  try {
    const { runtime, publisher } = publishingRuntime(opened, await siteIdOf(opened));
    const zh = runtime.config.lang === 'zh';
    let failed = 0;
    for (const file of positionals) {
      try {
        const read = await readExchangeFile(runtime, typeName, file, formatOf(values.format, file, IMPORT_USAGE));
        const outcome = await importItems(
          runtime,
          systemActor('gazette import'),
          typeName,
          read.rows,
          file,
          read.origin,
        );
        console.log(
          zh
            ? `${file}: 新增 ${outcome.created} 项，更新 ${outcome.updated} 项`
            : `${file}: created ${outcome.created}, updated ${outcome.updated}`,
        );
      } catch (error) {
        if (!isGazetteError(error) || error.code === 'USAGE') throw error;
        console.error(error.report(runtime.config.lang));
        failed++;
      }
    }
    await publisher.idle();
    return failed > 0 ? 1 : 0;
  } finally {
    await opened.store.close();
  }
}

/** One line per field: name, label, kind, and what else holds (required, options, added by the site). */
function fieldLines(view: ContentTypeView): string[] {
  return view.fields.map((f) =>
    [
      f.name,
      f.label,
      f.kind,
      [f.required ? 'required' : '', f.added ? 'added' : ''].filter((s) => s !== '').join(',') || '-',
      f.options?.join('、') ?? (f.to ? `→ ${f.to}${f.many ? '[]' : ''}` : '-'),
    ].join('\t'),
  );
}

function kindOf(value: string | undefined): FieldKind {
  const kind = FIELD_KINDS.find((k) => k === value);
  if (!kind) throw new GazetteError('USAGE', { reason: `--kind is one of ${FIELD_KINDS.join(', ')}\n${FIELDS_USAGE}` });
  return kind;
}

async function listFields(runtime: Runtime, typeName: string, json: boolean): Promise<number> {
  const views = await listContentTypes(runtime, systemActor('gazette fields'));
  const view = views.find((v) => v.key === typeName || v.label === typeName);
  if (!view) throw new GazetteError('CONTENT_TYPE_NOT_FOUND', { type: typeName });
  console.log(json ? JSON.stringify(view, null, 2) : fieldLines(view).join('\n'));
  return 0;
}

/** `gazette fields list|add|remove --type T …`: the fields of a type, and those the site adds or removes. */
export async function fieldsCommand(args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'list' && sub !== 'add' && sub !== 'remove') throw new GazetteError('USAGE', { reason: FIELDS_USAGE });
  const { values } = parseArgs({
    args: rest,
    options: {
      type: { type: 'string' },
      name: { type: 'string' },
      label: { type: 'string' },
      kind: { type: 'string' },
      options: { type: 'string' },
      required: { type: 'boolean', default: false },
      'max-length': { type: 'string' },
      help: { type: 'string' },
      force: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const typeName = requireType(values.type, FIELDS_USAGE);
  if (sub !== 'list' && !values.name)
    throw new GazetteError('USAGE', { reason: `--name is required\n${FIELDS_USAGE}` });
  const name = values.name ?? '';
  const kind = sub === 'add' ? kindOf(values.kind) : null;
  if (sub === 'add' && !values.label)
    throw new GazetteError('USAGE', { reason: `--label is required\n${FIELDS_USAGE}` });
  const maxLength = values['max-length'] === undefined ? undefined : Number(values['max-length']);
  if (maxLength !== undefined && !Number.isInteger(maxLength))
    throw new GazetteError('USAGE', { reason: `--max-length is a number of characters\n${FIELDS_USAGE}` });
  const opened = await openRuntime();
  try {
    const siteId = await siteIdOf(opened);
    const runtime = { ...opened, siteId };
    const actor = systemActor('gazette fields');
    if (sub === 'list') return await listFields(runtime, typeName, values.json);
    if (kind) {
      const view = await addContentField(runtime, actor, typeName, {
        name,
        label: values.label ?? '',
        kind,
        required: values.required,
        ...(values.options !== undefined && { options: values.options.split(/[,，]/) }),
        ...(maxLength !== undefined && { maxLength }),
        ...(values.help !== undefined && { help: values.help }),
      });
      console.log(`added field ${name} to ${view.label}`);
      return 0;
    }
    // The published pages that showed the archived values are rendered without them.
    const { runtime: publishing, publisher } = publishingRuntime(opened, siteId);
    const { archived } = await removeContentField(publishing, actor, typeName, name, { force: values.force });
    await publisher.idle();
    console.log(`removed field ${name}${archived > 0 ? `; ${archived} values archived` : ''}`);
    return 0;
  } finally {
    await opened.store.close();
  }
}
