/**
 * The config file: where it is found, how it is validated (errors with file, line and column), the YAML alias
 * bomb refused, the published JSON Schema kept in step with the zod schema, and its effect on a scan: rules off,
 * severity overrides, ignore globs, failOn.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { ConfigError, findConfigFile, loadConfigFile, parseConfigText, ruleInfo } from '../../src/config/load.js';
import { configJsonSchemaText, resolveConfig } from '../../src/config/schema.js';
import { starterConfig } from '../../src/config/starter.js';
import { scan } from '../../src/pipeline/scan.js';
import { FIXTURES, REPO, runCli, tempDir } from './helpers.js';

const VULNERABLE = path.join(FIXTURES, 'express-classic', 'vulnerable');

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function scratch(): string {
  const { dir, remove } = tempDir('aea-config-');
  cleanups.push(remove);
  return dir;
}

function problemsOf(text: string): ConfigError['problems'] {
  try {
    parseConfigText(text, 'config.yml', ruleInfo());
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

const BOMB = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
`;

describe('validation', () => {
  it('accepts a full config and fills in defaults', () => {
    const { data } = parseConfigText(
      [
        'failOn: medium',
        'rules:',
        '  no-auth: off',
        '  no-spend-cap: high',
        '  unbounded-input: on',
        '  no-rate-limit: false',
        'ignore: ["scripts/**"]',
        'publicRoutes: [/api/public/**]',
        'functions:',
        '  auth: [requireTeamMember, auth.requireUser]',
        '  spendCaps: [withQuota]',
      ].join('\n'),
      'config.yml',
      ruleInfo(),
    );
    const config = resolveConfig(data, { file: '/p/.ai-endpoint-audit.yml', baseDir: '/p' });
    expect(config).toEqual({
      file: '/p/.ai-endpoint-audit.yml',
      baseDir: '/p',
      failOn: 'medium',
      rules: { 'no-auth': 'off', 'no-spend-cap': 'high', 'unbounded-input': 'on', 'no-rate-limit': 'off' },
      ignore: ['scripts/**'],
      publicRoutes: ['/api/public/**'],
      functions: { auth: ['requireTeamMember', 'auth.requireUser'], rateLimiters: [], spendCaps: ['withQuota'], aiWrappers: [] },
    });
  });

  it('accepts an empty file and sections whose entries are all commented out', () => {
    expect(parseConfigText('', 'c.yml', ruleInfo()).data).toEqual({});
    const { data } = parseConfigText('rules:\n  # no-auth: off\nignore:\nfunctions:\n  auth:\n', 'c.yml', ruleInfo());
    expect(resolveConfig(data, { baseDir: '/p' }).functions.auth).toEqual([]);
  });

  it('reports each problem at its line and column, in words that say what to change', () => {
    const problems = problemsOf(
      ['rules:', '  no-auht: off', '  no-spend-cap: hgh', 'ignore: scripts', 'failOn: medum', 'functions:', '  auth: [1, "a b"]', 'colour: red'].join('\n'),
    );
    expect(problems).toEqual([
      { line: 2, column: 3, message: expect.stringMatching(/^rules: unknown rule "no-auht" \(did you mean "no-auth"\?\); rules are no-auth, /) },
      { line: 3, column: 17, message: 'rules.no-spend-cap: expected one of off, on, critical, high, medium, low (found "hgh"; did you mean "high"?)' },
      { line: 4, column: 9, message: 'ignore: expected a list of glob patterns (found "scripts")' },
      { line: 5, column: 9, message: 'failOn: expected one of critical, high, medium, low, none (found "medum"; did you mean "medium"?)' },
      { line: 7, column: 10, message: 'functions.auth[0]: expected a function name (found 1)' },
      { line: 7, column: 13, message: 'functions.auth[1]: expected a function name such as requireUser or auth.requireUser (found "a b")' },
      { line: 8, column: 1, message: 'unknown setting "colour"; settings here are failOn, minConfidence, rules, ignore, publicRoutes, functions, exposure' },
    ]);
  });

  it('reports YAML syntax errors and duplicate keys with their line', () => {
    expect(problemsOf('rules:\n  no-auth: off\n  no-auth: high\n')).toEqual([{ line: 3, column: 3, message: 'not valid YAML: Map keys must be unique' }]);
    expect(problemsOf('ignore: [a, b\n')[0]).toMatchObject({ line: 2, message: expect.stringContaining('not valid YAML') });
  });

  it('reports problems in a JSON config with their line', () => {
    const problems = problemsOf('{\n  "failOn": "high",\n  "publicRoutes": ["api/public/**"]\n}\n');
    expect(problems).toEqual([
      { line: 3, column: 20, message: 'publicRoutes[0]: expected a URL path glob starting with /, e.g. /api/public/** (found "api/public/**")' },
    ]);
  });

  it('refuses a YAML alias bomb instead of expanding it', () => {
    const started = Date.now();
    const problems = problemsOf(BOMB);
    expect(problems).toEqual([{ message: expect.stringContaining('YAML aliases') }]);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses negated ignore patterns and a top level that is not a mapping', () => {
    expect(problemsOf('ignore: ["!src/**"]')[0]!.message).toContain('negated patterns (!) are not supported');
    expect(problemsOf('- rules\n')[0]).toMatchObject({ line: 1, message: expect.stringContaining('expected a mapping') });
  });
});

describe('finding the config file', () => {
  it('walks up from the scanned folder and stops at the repository root', () => {
    const root = scratch();
    const repo = path.join(root, 'repo');
    const app = path.join(repo, 'apps', 'web');
    mkdirSync(path.join(repo, '.git'), { recursive: true });
    mkdirSync(app, { recursive: true });
    writeFileSync(path.join(root, '.ai-endpoint-audit.yml'), 'failOn: low\n');
    // Above the repository: not used.
    expect(findConfigFile(app)).toBeUndefined();
    writeFileSync(path.join(repo, '.ai-endpoint-audit.json'), '{"failOn": "medium"}');
    expect(findConfigFile(app)).toBe(path.join(repo, '.ai-endpoint-audit.json'));
    writeFileSync(path.join(app, '.ai-endpoint-audit.yaml'), 'failOn: critical\n');
    expect(findConfigFile(app)).toBe(path.join(app, '.ai-endpoint-audit.yaml'));
    expect(loadConfigFile(findConfigFile(app)!).failOn).toBe('critical');
  });

  it('outside a repository looks only in the scanned folder: a file planted above never applies', () => {
    const root = scratch();
    const project = path.join(root, 'download', 'project');
    mkdirSync(project, { recursive: true });
    writeFileSync(path.join(root, '.ai-endpoint-audit.yml'), 'failOn: none\n');
    writeFileSync(path.join(root, 'download', '.ai-endpoint-audit.yml'), 'failOn: none\n');
    expect(findConfigFile(project)).toBeUndefined();
    writeFileSync(path.join(project, '.ai-endpoint-audit.yml'), 'failOn: low\n');
    expect(findConfigFile(project)).toBe(path.join(project, '.ai-endpoint-audit.yml'));
  });

  it('refuses two config files in one folder', () => {
    const dir = scratch();
    writeFileSync(path.join(dir, '.ai-endpoint-audit.yml'), '');
    writeFileSync(path.join(dir, '.ai-endpoint-audit.json'), '{}');
    expect(() => findConfigFile(dir)).toThrow(/more than one config file/);
  });
});

describe('JSON Schema', () => {
  it('the committed schema/ai-endpoint-audit.schema.json is the one generated from the zod schema (npm run schema)', () => {
    const committed = readFileSync(path.join(REPO, 'schema', 'ai-endpoint-audit.schema.json'), 'utf8');
    expect(committed).toBe(configJsonSchemaText(ruleInfo()));
  });

  it('lists every rule id, so editors complete them', () => {
    const schema = JSON.parse(configJsonSchemaText(ruleInfo())) as { properties: { rules: { anyOf: { properties?: Record<string, unknown> }[] } } };
    const ruleKeys = Object.keys(schema.properties.rules.anyOf.find((s) => s.properties)!.properties!);
    expect(ruleKeys).toEqual(RULES.map((r) => r.meta.id));
  });

  it('the starter config is valid', () => {
    expect(() => parseConfigText(starterConfig(ruleInfo()), 'starter.yml', ruleInfo())).not.toThrow();
  });

  it("the starter config's commented exposure section is valid once uncommented", () => {
    const uncommented = starterConfig(ruleInfo()).replace(/^# (exposure:| {2}attacker)/gm, '$1');
    const { data } = parseConfigText(uncommented, 'starter.yml', ruleInfo());
    expect(data.exposure).toEqual({ attackerIps: 100, attackerAccounts: 20 });
  });
});

describe('the config in a scan', () => {
  it('turns rules off and overrides severities in findings and in the rule list', async () => {
    const dir = scratch();
    writeFileSync(path.join(dir, 'c.yml'), 'rules:\n  no-auth: off\n  no-spend-cap: critical\n');
    const config = loadConfigFile(path.join(dir, 'c.yml'));
    const result = await scan({ paths: [VULNERABLE], config });
    expect(result.findings.some((f) => f.ruleId === 'no-auth')).toBe(false);
    expect(result.findings.find((f) => f.ruleId === 'no-spend-cap')?.severity).toBe('critical');
    expect(result.rules.map((r) => r.id)).not.toContain('no-auth');
    expect(result.rules.find((r) => r.id === 'no-spend-cap')?.severity).toBe('critical');
    expect(result.rules).toHaveLength(RULES.length - 1);
  });

  it('exposure.attackerIps and attackerAccounts change the rate a per-IP limit allows, and the report says they came from the config', async () => {
    // express-rate-limit at 20 a minute per IP: 28,800/day per address.
    const limited = path.join(FIXTURES, 'presence-auth', 'vulnerable');
    const byDefault = await scan({ paths: [limited] });
    const before = byDefault.endpoints.find((e) => e.exposure?.rate?.includes('per IP address'))!.exposure!;
    expect(before.attackerIps).toEqual({ value: 100, source: 'default' });
    expect(before.attackerAccounts).toEqual({ value: 'unbounded', source: 'default' });
    expect(before.requestsPerDay).toBe(1_728_000); // 2,880,000 a day from 100 addresses is above one script's rate

    const dir = scratch();
    writeFileSync(path.join(dir, 'c.yml'), 'exposure:\n  attackerIps: 5\n  attackerAccounts: 20\n');
    const config = loadConfigFile(path.join(dir, 'c.yml'));
    expect(config.exposure).toEqual({ attackerIps: 5, attackerAccounts: 20 });
    const configured = await scan({ paths: [limited], config });
    const after = configured.endpoints.find((e) => e.id === byDefault.endpoints.find((b) => b.exposure === before)!.id)!.exposure!;
    expect(after.attackerIps).toEqual({ value: 5, source: 'config' });
    expect(after.attackerAccounts).toEqual({ value: 20, source: 'config' });
    expect(after.requestsPerDay).toBe(144_000);
    expect(after.rate).toBe('Rate: 28,800/day per IP address, times the addresses an attacker controls (5, exposure.attackerIps in the config) = 144,000/day.');
  });

  it('refuses an exposure setting that is not a positive whole number', () => {
    expect(problemsOf('exposure:\n  attackerIps: 0\n  attackerAccounts: lots\n').map((p) => p.message)).toEqual([
      'exposure.attackerIps: expected at least 1 address (found 0)',
      'exposure.attackerAccounts: expected a whole number of accounts or unbounded (found "lots")',
    ]);
  });

  it('bad config: exit 2 with the file and line, and no report', async () => {
    const dir = scratch();
    const app = path.join(dir, 'app');
    cpSync(VULNERABLE, app, { recursive: true });
    writeFileSync(path.join(app, '.ai-endpoint-audit.yml'), 'failOn: high\nrules:\n  no-auth: maybe\n');
    const run = await runCli(['.', '--format', 'json'], { cwd: app });
    expect(run.status, run.stderr).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('.ai-endpoint-audit.yml:3:12: rules.no-auth: expected one of off, on, critical, high, medium, low (found "maybe")');
  });

  it('yaml bomb: exit 2, refused', async () => {
    const dir = scratch();
    writeFileSync(path.join(dir, 'bomb.yml'), BOMB);
    const run = await runCli([VULNERABLE, '--config', path.join(dir, 'bomb.yml')]);
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toContain('YAML aliases');
  });

  it('--config pointing at a missing file exits 2', async () => {
    const run = await runCli([VULNERABLE, '--config', path.join(scratch(), 'nope.yml')]);
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toContain('config file not found');
  });

  it('failOn from the config sets the exit code unless --fail-on is given', async () => {
    const dir = scratch();
    const app = path.join(dir, 'app');
    cpSync(VULNERABLE, app, { recursive: true });
    writeFileSync(path.join(app, '.ai-endpoint-audit.yml'), 'failOn: none\n');
    expect((await runCli([app, '--format', 'json'])).status).toBe(0);
    expect((await runCli([app, '--format', 'json', '--fail-on', 'high'])).status).toBe(1);
    expect((await runCli([app, '--format', 'json', '--no-config'])).status).toBe(1);
  });

  it('ignore globs are relative to the config file, also when a subfolder is scanned', async () => {
    const dir = scratch();
    const app = path.join(dir, 'app');
    cpSync(path.join(FIXTURES, 'express-router-modules', 'vulnerable'), app, { recursive: true });
    mkdirSync(path.join(dir, '.git'));
    const endpointsOf = async (args: string[]) => (JSON.parse((await runCli([...args, '--format', 'json', '--fail-on', 'none'])).stdout) as { endpoints: unknown[] }).endpoints.length;
    expect(await endpointsOf([app])).toBe(1);

    writeFileSync(path.join(app, '.ai-endpoint-audit.yml'), 'ignore:\n  - src/routes\n');
    expect(await endpointsOf([app])).toBe(0);

    // The config one folder up, found by walking up to the repository root: the glob names the same files from there.
    rmSync(path.join(app, '.ai-endpoint-audit.yml'));
    writeFileSync(path.join(dir, '.ai-endpoint-audit.yml'), 'ignore:\n  - app/src/routes/**\n');
    expect(await endpointsOf([app])).toBe(0);
    expect(await endpointsOf([app, '--no-config'])).toBe(1);
  });
});
