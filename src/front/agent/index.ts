// The front-server agent's front door: what `gazette front --root DIR` runs.
export {
  startAgent,
  parseListen,
  DEFAULT_LISTEN,
  DEFAULT_SWEEP_MINUTES,
  type Agent,
  type AgentOptions,
} from './agent.js';
