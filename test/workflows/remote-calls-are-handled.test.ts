/**
 * A workflow must never end because a platform, courier or renderer gave up. Activities proxied with a finite retry
 * policy (maximumAttempts) are the ones that can give up, so every call through such a proxy must sit in the try block
 * of a try/catch in workflow code. This reads workflows/*.ts with the TypeScript parser, as a lint rule would.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const workflowsDir = path.resolve(__dirname, '../../workflows');

interface Unguarded {
  file: string;
  line: number;
  call: string;
}

/** Names of variables bound to proxyActivities(...) whose options set retry.maximumAttempts. */
function finiteProxies(source: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && ts.isCallExpression(node.initializer)) {
      const callee = node.initializer.expression;
      const calleeName = ts.isIdentifier(callee) ? callee.text : '';
      if (calleeName === 'proxyActivities' && /maximumAttempts\s*:/.test(node.initializer.arguments[0]?.getText(source) ?? '')) names.add(node.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

function insideTryBlock(node: ts.Node): boolean {
  for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (ts.isFunctionLike(parent) && !ts.isArrowFunction(parent) && !ts.isFunctionExpression(parent)) return false;
    if (ts.isTryStatement(parent) && parent.tryBlock === child && parent.catchClause) return true;
  }
  return false;
}

export function findUnguardedRemoteCalls(file: string, text: string): Unguarded[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const proxies = finiteProxies(source);
  const found: Unguarded[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ts.isIdentifier(node.expression.expression)) {
      const proxy = node.expression.expression.text;
      if (proxies.has(proxy) && !insideTryBlock(node)) {
        found.push({ file: path.basename(file), line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, call: `${proxy}.${node.expression.name.text}` });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('remote calls in workflow code', () => {
  it('calls every activity that can give up (finite retries) inside a try/catch, in every workflow file', () => {
    const files = fs.readdirSync(workflowsDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(files.length).toBeGreaterThan(2);
    const unguarded = files.flatMap((f) => findUnguardedRemoteCalls(f, fs.readFileSync(path.join(workflowsDir, f), 'utf8')));
    expect(unguarded).toEqual([]);
  });

  it('catches an unguarded call, a call only in a finally block, and accepts a guarded one', () => {
    const code = `
      const remote = proxyActivities<A>({ retry: { maximumAttempts: 4 } });
      const db = proxyActivities<A>({ retry: { initialInterval: '1 second' } });
      export async function w() {
        await db.saveOrder({});
        await remote.checkRefund({});
        try { await remote.syncShipment({}); } catch (e) { /* shown to staff */ }
        try { await db.saveOrder({}); } finally { await remote.cancelWaybillNumber({}); }
        const nested = async () => { try { await remote.reserveWaybillNumber({}); } catch { /* shown */ } };
        await nested();
      }`;
    expect(findUnguardedRemoteCalls('sample.ts', code).map((u) => u.call)).toEqual(['remote.checkRefund', 'remote.cancelWaybillNumber']);
  });
});
