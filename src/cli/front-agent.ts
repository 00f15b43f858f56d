import { parseCommandArgs, usageError } from './args.js';
// The agent alone: a front server loads no store, web server or publisher.
import { DEFAULT_LISTEN, DEFAULT_SWEEP_MINUTES, parseListen, startAgent } from '../front/agent/index.js';

const USAGE =
  'gazette front --root DIR --token-file FILE [--listen HOST:PORT] [--sweep-minutes N] [--tls-cert FILE --tls-key FILE [--tls-ca FILE]]\n' +
  `  --listen: where the CMS pushes to (default ${DEFAULT_LISTEN}); --sweep-minutes: the full hash sweep's interval (default ${DEFAULT_SWEEP_MINUTES})\n` +
  '  --tls-cert/--tls-key: serve HTTPS; --tls-ca: and accept only clients with a certificate from this authority (mutual TLS)';

const usage = (reason: string) => usageError(reason, USAGE);

function parse(args: readonly string[]) {
  return parseCommandArgs(
    {
      args: [...args],
      options: {
        root: { type: 'string' },
        listen: { type: 'string', default: DEFAULT_LISTEN },
        'token-file': { type: 'string' },
        'sweep-minutes': { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'tls-ca': { type: 'string' },
      },
    },
    USAGE,
  );
}

/** The agent's options from the command line, every mistake refused before anything starts. */
export function agentOptions(args: readonly string[]) {
  const { values } = parse(args);
  if (!values.root) throw usage('--root is required');
  if (!values['token-file']) throw usage('--token-file is required');
  try {
    parseListen(values.listen);
  } catch {
    throw usage(`--listen ${values.listen} is not HOST:PORT`);
  }
  const sweep = values['sweep-minutes'] === undefined ? DEFAULT_SWEEP_MINUTES : Number(values['sweep-minutes']);
  if (!Number.isFinite(sweep) || sweep <= 0 || sweep > 10_000)
    throw usage('--sweep-minutes must be a number of minutes above 0');
  const [cert, key, ca] = [values['tls-cert'], values['tls-key'], values['tls-ca']];
  if ((cert === undefined) !== (key === undefined)) throw usage('--tls-cert and --tls-key go together');
  if (ca !== undefined && cert === undefined) throw usage('--tls-ca goes with --tls-cert and --tls-key');
  return {
    root: values.root,
    listen: values.listen,
    tokenFile: values['token-file'],
    sweepMinutes: sweep,
    ...(cert !== undefined && key !== undefined ? { tls: { cert, key, ...(ca === undefined ? {} : { ca }) } } : {}),
  };
}

/** `gazette front --root DIR …`: runs the agent until SIGTERM or SIGINT. */
export async function frontAgentCommand(args: readonly string[]): Promise<number> {
  const options = agentOptions(args);
  const agent = await startAgent(options);
  console.log(`Gazette front agent for ${options.root} is listening at ${agent.address}/`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await agent.close();
  return 0;
}
