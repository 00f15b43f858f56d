/**
 * `gazette front …`: the front-server agent (`--root DIR --listen ADDR`), its nginx configuration
 * (`nginx-config`), and on the CMS side the list of fronts to push to (`add`, `list`, `remove`).
 * Each part is loaded only when it runs: an agent on a front server loads no CMS code.
 */
export async function frontCommand(rest: readonly string[]): Promise<number> {
  const [sub, ...args] = rest;
  switch (sub) {
    case 'add':
    case 'list':
    case 'remove':
      return (await import('./front-admin.js')).frontAdminCommand(sub, args);
    case 'nginx-config':
      return (await import('./front-nginx.js')).nginxConfigCommand(args);
    default:
      return (await import('./front-agent.js')).frontAgentCommand(rest);
  }
}
