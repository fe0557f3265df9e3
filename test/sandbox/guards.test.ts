/**
 * Issue 14, item 5: "the built-in service answers only this app". Each way a web page or another
 * program could use the sandbox on loopback is refused with its status: a DNS-rebinding Host, a
 * foreign Origin, a text/plain JSON body, unsigned and forged tokens, admin routes without the
 * per-run secret, a body that never finishes; plus the connection cap, the sink switch, the
 * --public rule and the built-in service's own settings (no ffmpeg, secret kept in-process).
 */
import { createHmac } from 'node:crypto';
import { connect } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedSandbox } from '../../main/core/embedded-sandbox';
import { silentLogger } from '../../main/util/logger';
import {
  ADMIN_SECRET_HEADER,
  SANDBOX_ERROR_CODES,
  adminHeaders,
  startSandbox,
  unsignedToken,
} from '../../main/sandbox/index';
import { tempDir } from '../support/clips';
import {
  fullClaims,
  openSandbox,
  reserveBody,
  send,
  signedAuth,
  type AccountInfo,
  type Raw,
  type TestSandbox,
} from './support';

/** A sandbox as the standalone command runs it by default: signed tokens only, admin open. */
let sandbox: TestSandbox;
let user: AccountInfo;
let port: number;

beforeAll(async () => {
  sandbox = await openSandbox({
    allowUnsignedTokens: false,
    jsonBodyTimeoutMs: 300,
    uploadIdleTimeoutMs: 300,
  });
  user = await sandbox.account();
  port = sandbox.running.port;
});
afterAll(() => sandbox.close());

const reservePath = (): string => `/users/me/scids/${user.scid}/clips`;

function reserveHeaders(more: Record<string, string> = {}): Record<string, string> {
  return {
    Authorization: user.authorization,
    'X-RequestedServiceVersion': '1',
    'Content-Type': 'application/json',
    Accept: 'application/json',
    ...more,
  };
}

function expectRefusal(answer: Raw, status: number, errorCode: number): void {
  expect(answer.status, answer.text).toBe(status);
  const body = answer.body as { errorCode: number; errorMessage: string };
  expect(body.errorCode).toBe(errorCode);
  expect(body.errorMessage.length).toBeGreaterThan(20);
}

describe('Host: DNS rebinding', () => {
  it.each([
    ['a rebinding name on the right port', () => `attacker.example:${port}`],
    ['loopback on another port', () => `127.0.0.1:${port + 1}`],
    ['loopback without a port', () => '127.0.0.1'],
  ])('answers 421 to %s, on protocol and admin routes alike', async (_, host) => {
    for (const [route, method, headers, body] of [
      [reservePath(), 'POST', reserveHeaders(), JSON.stringify(reserveBody())],
      ['/sandbox/stats', 'GET', {}, undefined],
    ] as const) {
      const answer = await send(sandbox.url(route), method, { ...headers, Host: host() }, body);
      expectRefusal(answer, 421, SANDBOX_ERROR_CODES.wrongHost);
      expect((answer.body as { errorMessage: string }).errorMessage).toMatch(/DNS rebinding/);
    }
  });

  it('answers to 127.0.0.1:<port> and localhost:<port>', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      const answer = await send(
        sandbox.url(reservePath()),
        'POST',
        reserveHeaders({ Host: host }),
        JSON.stringify(reserveBody()),
      );
      expect(answer.status, `${host}: ${answer.text}`).toBe(200);
    }
  });
});

describe('Origin', () => {
  it('refuses a request from another origin with 403, before anything is done', async () => {
    const before = (await send(sandbox.url('/sandbox/stats'), 'GET', {})).body as {
      requests: Record<string, Record<string, number>>;
    };
    const answer = await send(
      sandbox.url(reservePath()),
      'POST',
      reserveHeaders({ Origin: 'https://attacker.example' }),
      JSON.stringify(reserveBody()),
    );
    expectRefusal(answer, 403, SANDBOX_ERROR_CODES.foreignOrigin);
    expectRefusal(
      await send(sandbox.url('/sandbox/accounts'), 'POST', {
        'Content-Type': 'application/json',
        Origin: 'null',
      }),
      403,
      SANDBOX_ERROR_CODES.foreignOrigin,
    );
    const after = (await send(sandbox.url('/sandbox/stats'), 'GET', {})).body as typeof before;
    expect(after.requests.reserve?.['200'] ?? 0).toBe(before.requests.reserve?.['200'] ?? 0);
  });

  it("takes the sandbox's own origin", async () => {
    const answer = await send(
      sandbox.url(reservePath()),
      'POST',
      reserveHeaders({ Origin: `http://127.0.0.1:${port}` }),
      JSON.stringify(reserveBody()),
    );
    expect(answer.status, answer.text).toBe(200);
  });
});

describe('JSON routes want application/json', () => {
  it('answers 415 to a text/plain body (the type a page may send cross-site without asking)', async () => {
    expectRefusal(
      await send(
        sandbox.url(reservePath()),
        'POST',
        reserveHeaders({ 'Content-Type': 'text/plain;charset=UTF-8' }),
        JSON.stringify(reserveBody()),
      ),
      415,
      SANDBOX_ERROR_CODES.unsupportedMediaType,
    );
    for (const route of ['/sandbox/accounts', '/sandbox/faults', '/sandbox/tokens'])
      expectRefusal(
        await send(sandbox.url(route), 'POST', { 'Content-Type': 'text/plain' }, '{}'),
        415,
        SANDBOX_ERROR_CODES.unsupportedMediaType,
      );
  });
});

describe('tokens: signed only', () => {
  const reserveWith = (authorization: string): Promise<Raw> =>
    send(
      sandbox.url(reservePath()),
      'POST',
      reserveHeaders({ Authorization: authorization }),
      JSON.stringify(reserveBody()),
    );

  it('refuses an unsigned JWT with 401 unless started with allowUnsignedTokens', async () => {
    const unsigned = `XBL3.0 x=1;${unsignedToken({ ...fullClaims(user), uhs: '1' })}`;
    const answer = await reserveWith(unsigned);
    expectRefusal(answer, 401, SANDBOX_ERROR_CODES.unauthorized);
    expect((answer.body as { errorMessage: string }).errorMessage).toMatch(/not signed/);
    const lenient = await openSandbox({ allowUnsignedTokens: true });
    try {
      const someone = await lenient.account();
      const answer2 = await send(
        lenient.url(`/users/me/scids/${someone.scid}/clips`),
        'POST',
        {
          Authorization: `XBL3.0 x=1;${unsignedToken({ ...fullClaims(someone), uhs: '1' })}`,
          'X-RequestedServiceVersion': '1',
          'Content-Type': 'application/json',
        },
        JSON.stringify(reserveBody()),
      );
      expect(answer2.status, answer2.text).toBe(200);
    } finally {
      await lenient.close();
    }
  });

  it('refuses forged JWTs: tampered claims, a wrong key, alg none with a signature', async () => {
    const good = await signedAuth(sandbox, fullClaims(user));
    expect((await reserveWith(good)).status).toBe(200);
    const [prefix, token] = good.split(';') as [string, string];
    const [header, , signature] = token.split('.') as [string, string, string];
    const otherXuid = Buffer.from(
      JSON.stringify({ ...fullClaims(user), Xuid: '2535000000000001', uhs: '1234567890123456789' }),
    ).toString('base64url');
    const tampered = `${prefix};${header}.${otherXuid}.${signature}`;
    const wrongKey = `${prefix};${header}.${otherXuid}.${createHmac('sha256', 'not the key')
      .update(`${header}.${otherXuid}`)
      .digest('base64url')}`;
    const noneHeader = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString(
      'base64url',
    );
    const noneSigned = `${prefix};${noneHeader}.${otherXuid}.${signature}`;
    for (const forged of [tampered, wrongKey, noneSigned])
      expectRefusal(await reserveWith(forged), 401, SANDBOX_ERROR_CODES.unauthorized);
  });

  it('refuses a token signed by another sandbox', async () => {
    const other = await openSandbox();
    try {
      const foreign = await signedAuth(other, fullClaims(user));
      expectRefusal(await reserveWith(foreign), 401, SANDBOX_ERROR_CODES.unauthorized);
    } finally {
      await other.close();
    }
  });
});

describe('admin routes with a secret', () => {
  let guarded: TestSandbox;
  const SECRET = 'a-per-run-secret-for-this-test';
  beforeAll(async () => {
    guarded = await openSandbox({ adminSecret: SECRET });
  });
  afterAll(() => guarded.close());

  it('answers 403 to every admin route without the secret, or with a wrong one', async () => {
    const routes: Array<[string, string, string | undefined]> = [
      ['POST', '/sandbox/accounts', '{}'],
      ['POST', '/sandbox/tokens', '{"claims":{}}'],
      ['GET', '/sandbox/stats', undefined],
      ['DELETE', '/sandbox/stats', undefined],
      ['GET', '/sandbox/health', undefined],
      ['GET', '/sandbox/faults', undefined],
      ['POST', '/sandbox/faults', '{"route":"reserve","status":500}'],
      ['DELETE', '/sandbox/faults', undefined],
      ['POST', '/sandbox/clips/00000000-0000-4000-8000-000000000000/state', '{"state":"Error"}'],
    ];
    for (const [method, route, body] of routes)
      for (const secret of [undefined, 'x'.repeat(SECRET.length), `${SECRET}x`]) {
        const answer = await send(
          guarded.url(route),
          method,
          {
            ...(body ? { 'Content-Type': 'application/json' } : {}),
            ...(secret ? { [ADMIN_SECRET_HEADER]: secret } : {}),
          },
          body,
        );
        expectRefusal(answer, 403, SANDBOX_ERROR_CODES.adminSecretRequired);
      }
  });

  it('opens them with the secret, which the running sandbox and this process hold', async () => {
    expect(guarded.running.adminSecret).toBe(SECRET);
    expect(adminHeaders(guarded.baseUrl)).toEqual({ [ADMIN_SECRET_HEADER]: SECRET });
    const answer = await send(guarded.url('/sandbox/stats'), 'GET', adminHeaders(guarded.baseUrl));
    expect(answer.status, answer.text).toBe(200);
  });
});

describe('slow bodies', () => {
  /** Sends the head and part of a body, then nothing: the answer must come from the timeout. */
  function stall(route: string, head: Record<string, string>, partial: string): Promise<Raw> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      const lines = [
        `${head.method} ${route} HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        ...Object.entries(head)
          .filter(([name]) => name !== 'method')
          .map(([name, value]) => `${name}: ${value}`),
        '',
        partial,
      ];
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString('utf8')));
      socket.on('error', reject);
      socket.on('close', () => {
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
        const body = text.slice(text.indexOf('\r\n\r\n') + 4);
        let parsed: unknown;
        try {
          parsed = JSON.parse(body);
        } catch {
          parsed = undefined;
        }
        resolve({ status, headers: {}, text, body: parsed });
      });
      socket.write(lines.join('\r\n'));
    });
  }

  it('answers 408 and closes when a JSON body does not arrive in time', async () => {
    const answer = await stall(
      reservePath(),
      {
        method: 'POST',
        Authorization: user.authorization,
        'Content-Type': 'application/json',
        'Content-Length': '500',
      },
      '{"greatestMomentId":',
    );
    expectRefusal(answer, 408, SANDBOX_ERROR_CODES.requestTimeout);
  });

  it('answers 408 and closes when a block stops arriving', async () => {
    const reserved = (
      await send(
        sandbox.url(reservePath()),
        'POST',
        reserveHeaders(),
        JSON.stringify(reserveBody({ fileSize: 1000, expectedBlocks: 1 })),
      )
    ).body as { uploadUri: string };
    const answer = await stall(
      `${new URL(reserved.uploadUri).pathname}?blockNum=0`,
      {
        method: 'PUT',
        Authorization: user.authorization,
        'Content-Type': 'application/octet-stream',
        'Content-Length': '1000',
      },
      'x'.repeat(100),
    );
    expectRefusal(answer, 408, SANDBOX_ERROR_CODES.requestTimeout);
  });
});

describe('server limits and switches', () => {
  it('caps open connections', async () => {
    const capped = await openSandbox({ maxConnections: 2 });
    const sockets = [0, 1, 2].map(() => connect(capped.running.port, '127.0.0.1'));
    try {
      await Promise.all(
        sockets
          .slice(0, 2)
          .map((socket) => new Promise((resolve) => socket.once('connect', resolve))),
      );
      // The third is accepted by the kernel and closed by the server at once.
      await new Promise<void>((resolve) => sockets[2]!.once('close', () => resolve()));
      expect(sockets[0]!.destroyed).toBe(false);
    } finally {
      for (const socket of sockets) socket.destroy();
      await capped.close();
    }
  });

  it('serves PUT /sandbox/sink only when switched on (404 otherwise), and caps it', async () => {
    const off = await send(sandbox.url('/sandbox/sink'), 'PUT', {}, 'abc');
    expectRefusal(off, 404, SANDBOX_ERROR_CODES.notFound);
    const on = await openSandbox({ sink: true });
    try {
      const stored = await send(on.url('/sandbox/sink'), 'PUT', {}, 'abc');
      expect(stored.status).toBe(201);
      expect(stored.body).toEqual({ bytes: 3 });
      const tooBig = await send(
        on.url('/sandbox/sink'),
        'PUT',
        { 'Content-Length': String(512 * 1024 * 1024) },
        undefined,
      );
      expectRefusal(tooBig, 400, SANDBOX_ERROR_CODES.bodyTooLarge);
    } finally {
      await on.close();
    }
  });

  it('refuses a host other than loopback unless public is set', async () => {
    const folder = await tempDir('gameclips-sandbox-public-');
    try {
      await expect(
        startSandbox({ dataDir: path.join(folder.dir, 'data'), host: '0.0.0.0' }),
      ).rejects.toThrow(/public/);
    } finally {
      await folder.cleanup();
    }
  });
});

describe('the built-in service', () => {
  it('locks admin routes behind a per-run secret, takes no unsigned token and runs no ffmpeg', async () => {
    const folder = await tempDir('gameclips-builtin-');
    const embedded = await startEmbeddedSandbox(folder.dir, silentLogger);
    try {
      const { baseUrl, adminSecret } = embedded.sandbox;
      expect(adminSecret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      expectRefusal(
        await send(`${baseUrl}/sandbox/stats`, 'GET', {}),
        403,
        SANDBOX_ERROR_CODES.adminSecretRequired,
      );
      const health = await send(`${baseUrl}/sandbox/health`, 'GET', adminHeaders(baseUrl));
      expect(health.status).toBe(200);
      // Nothing from PATH: thumbnails come from the app.
      expect((health.body as { ffmpeg: { path: unknown } }).ffmpeg.path).toBeNull();
      const account = (await embedded.readAccount())!;
      const claims = {
        Xuid: account.xuid,
        DeviceType: 'Win32',
        DeviceId: 'd',
        TitleId: '1195594562',
        TitleSandboxId: 'RETAIL',
      };
      const unsigned = await send(
        `${baseUrl}/users/me/scids/${account.scid}/clips`,
        'POST',
        {
          Authorization: `XBL3.0 x=1;${unsignedToken({ ...claims, uhs: '1' })}`,
          'Content-Type': 'application/json',
        },
        JSON.stringify(reserveBody()),
      );
      expectRefusal(unsigned, 401, SANDBOX_ERROR_CODES.unauthorized);
      const own = await send(
        `${baseUrl}/users/me/scids/${account.scid}/clips`,
        'POST',
        { Authorization: account.authorization, 'Content-Type': 'application/json' },
        JSON.stringify(reserveBody()),
      );
      expect(own.status, own.text).toBe(200);
    } finally {
      await embedded.sandbox.close();
      await folder.cleanup();
    }
  });
});
