/**
 * Sandbox accounts and titles: who may call, with which claims, on which SCIDs.
 *
 * The real service gets claims from a signed XSTS token. The sandbox does not check signatures
 * (spec 1.2); instead a token is a key into this registry, which lives in `registry.json` so
 * accounts survive a restart. The same file keeps the secret that signs download links and
 * continuation tokens, so links issued before a restart still work after it.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { CoalescingWriter } from './coalescing-writer';
import { badRequest, type ServiceError } from './errors';
import { DEFAULT_TITLE, PC_DEVICE_TYPE, type QuotaOptions, type TitleOptions } from './options';

/** A sandbox user: the claims its token carries, plus its own quota if it has one. */
export interface Account {
  readonly xuid: string;
  readonly userHash: string;
  readonly token: string;
  readonly gamertag: string;
  readonly deviceType: string;
  readonly deviceId: string;
  readonly titleId: string;
  readonly scid: string;
  readonly sandboxId: string;
  readonly quota?: QuotaOptions;
  readonly createdAt: string;
}

export interface Title {
  readonly titleId: string;
  readonly scid: string;
  readonly name: string;
}

/** The sandbox id every account's TitleSandboxId/SandboxId claim carries. */
export const SANDBOX_ID = 'RETAIL';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TITLE_ID = /^\d{1,10}$/;

/** Normalizes a SCID (GUID, any case) to lower case, or undefined when it is not a GUID. */
export function normalizeScid(raw: string): string | undefined {
  const lower = raw.toLowerCase();
  return GUID.test(lower) ? lower : undefined;
}

/** Normalizes a title id: a decimal uint32, as a string without leading zeros. */
export function normalizeTitleId(raw: string | number): string | undefined {
  const text = String(raw);
  if (!TITLE_ID.test(text)) return undefined;
  const value = Number(text);
  return value <= 0xffff_ffff ? String(value) : undefined;
}

/** The SCID the sandbox derives for a title created without one: the title id in hex. */
export function scidForTitle(titleId: string): string {
  return `00000000-0000-0000-0000-${Number(titleId).toString(16).padStart(12, '0')}`;
}

const QuotaSchema = z.strictObject({
  maxCount: z.number().int().min(0).optional(),
  maxBytes: z.number().int().min(0).optional(),
  fifoMaxCount: z.number().int().min(0).optional(),
  fifoMaxBytes: z.number().int().min(0).optional(),
});

/** The body of `POST /sandbox/accounts`; strict, so a misspelt option is refused, not ignored. */
export const NewAccountSchema = z.strictObject({
  gamertag: z
    .string()
    .regex(/^[\p{L}\p{N} ]{1,16}$/u, 'gamertag must be 1 to 16 letters, digits or spaces')
    .optional(),
  deviceType: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,32}$/, 'deviceType must be 1 to 32 letters or digits')
    .optional(),
  titleId: z.union([z.string(), z.number()]).optional(),
  scid: z.string().optional(),
  quota: QuotaSchema.optional(),
});
export type NewAccount = z.infer<typeof NewAccountSchema>;

const RegistryFileSchema = z.object({
  version: z.literal(1),
  secret: z.string().min(32),
  accounts: z.array(
    z.object({
      xuid: z.string(),
      userHash: z.string(),
      token: z.string(),
      gamertag: z.string(),
      deviceType: z.string(),
      deviceId: z.string(),
      titleId: z.string(),
      scid: z.string(),
      sandboxId: z.string(),
      quota: QuotaSchema.optional(),
      createdAt: z.string(),
    }),
  ),
  titles: z.array(z.object({ titleId: z.string(), scid: z.string(), name: z.string() })),
});

function digits(count: number): string {
  let text = '';
  for (let i = 0; i < count; i++) text += String(randomInt(10));
  return text;
}

/** Accounts, titles and the signing secret, kept in memory and saved to `registry.json`. */
export class Registry {
  private readonly byToken = new Map<string, Account>();
  private readonly byXuid = new Map<string, Account>();
  private readonly titlesByScid = new Map<string, Title>();
  private readonly titleNames = new Map<string, string>();
  /** Titles created through accounts; configured ones are rebuilt from options on each start. */
  private readonly createdTitles: Title[] = [];
  private readonly writer: CoalescingWriter;

  private constructor(
    filePath: string,
    readonly secret: Buffer,
    configured: readonly TitleOptions[],
  ) {
    this.writer = new CoalescingWriter(filePath, () => this.serialize());
    for (const title of [DEFAULT_TITLE, ...configured]) this.addTitle(title);
  }

  /** Loads `registry.json` from `dataDir`, or starts an empty registry with a fresh secret. */
  static async open(dataDir: string, configured: readonly TitleOptions[]): Promise<Registry> {
    const filePath = path.join(dataDir, 'registry.json');
    let text: string | undefined;
    try {
      text = await readFile(filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text === undefined) {
      const registry = new Registry(filePath, randomBytes(32), configured);
      await registry.writer.save();
      return registry;
    }
    const parsed = RegistryFileSchema.safeParse(JSON.parse(text));
    if (!parsed.success)
      throw new Error(`The sandbox registry ${filePath} is not in the expected format.`);
    const registry = new Registry(filePath, Buffer.from(parsed.data.secret, 'base64'), configured);
    for (const title of parsed.data.titles) {
      registry.addTitle(title);
      registry.createdTitles.push(title);
    }
    for (const account of parsed.data.accounts) registry.index(account);
    return registry;
  }

  accountByToken(token: string): Account | undefined {
    return this.byToken.get(token);
  }

  get accountCount(): number {
    return this.byXuid.size;
  }

  titleForScid(scid: string): Title | undefined {
    return this.titlesByScid.get(scid.toLowerCase());
  }

  titleName(titleId: string): string {
    return this.titleNames.get(titleId) ?? '';
  }

  /** Creates an account from the admin body; defaults give one that can upload (section 6). */
  async createAccount(input: NewAccount): Promise<Account | ServiceError> {
    const title = this.resolveTitle(input.titleId, input.scid);
    if ('kind' in title) return title;
    let xuid: string;
    do xuid = `2535${digits(12)}`;
    while (this.byXuid.has(xuid));
    const account: Account = {
      xuid,
      userHash: `${1 + randomInt(9)}${digits(18)}`,
      token: `sbx.${randomBytes(32).toString('base64url')}`,
      gamertag: input.gamertag ?? `Sandbox ${xuid.slice(-4)}`,
      deviceType: input.deviceType ?? PC_DEVICE_TYPE,
      deviceId: randomUUID(),
      titleId: title.titleId,
      scid: title.scid,
      sandboxId: SANDBOX_ID,
      ...(input.quota ? { quota: input.quota } : {}),
      createdAt: new Date().toISOString(),
    };
    this.index(account);
    await this.writer.save();
    return account;
  }

  /** Waits for pending writes, so a close never loses an account. */
  flush(): Promise<void> {
    return this.writer.idle();
  }

  private resolveTitle(
    rawTitleId: string | number | undefined,
    rawScid: string | undefined,
  ): Title | ServiceError {
    const titleId = rawTitleId === undefined ? undefined : normalizeTitleId(rawTitleId);
    if (rawTitleId !== undefined && titleId === undefined)
      return badRequest('titleId must be a decimal number from 0 to 4294967295.');
    const scid = rawScid === undefined ? undefined : normalizeScid(rawScid);
    if (rawScid !== undefined && scid === undefined)
      return badRequest('scid must be a GUID such as d1adc8aa-0a31-4407-90f2-7e9b54b0347c.');
    if (titleId === undefined && scid === undefined) return this.titleForScid(DEFAULT_TITLE.scid)!;
    if (scid !== undefined) {
      const existing = this.titleForScid(scid);
      if (existing) {
        if (titleId !== undefined && existing.titleId !== titleId)
          return badRequest(`SCID ${scid} already belongs to title ${existing.titleId}.`);
        return existing;
      }
      const owner = titleId ?? String(randomInt(0x1000_0000, 0x7fff_ffff));
      return this.createTitle({ titleId: owner, scid, name: this.titleNames.get(owner) });
    }
    const id = titleId as string;
    const known = [...this.titlesByScid.values()].find((title) => title.titleId === id);
    return known ?? this.createTitle({ titleId: id, scid: scidForTitle(id) });
  }

  private createTitle(input: { titleId: string; scid: string; name?: string }): Title {
    const title: Title = {
      titleId: input.titleId,
      scid: input.scid,
      name: input.name ?? `Sandbox Title ${input.titleId}`,
    };
    this.addTitle(title);
    this.createdTitles.push(title);
    return title;
  }

  private addTitle(input: TitleOptions): void {
    const titleId = normalizeTitleId(input.titleId);
    const scid = normalizeScid(input.scid);
    if (titleId === undefined || scid === undefined)
      throw new Error(`Title ${input.titleId} / ${input.scid} is not a title id and SCID pair.`);
    const name = input.name ?? this.titleNames.get(titleId) ?? `Sandbox Title ${titleId}`;
    this.titlesByScid.set(scid, { titleId, scid, name });
    if (!this.titleNames.has(titleId)) this.titleNames.set(titleId, name);
  }

  private index(account: Account): void {
    this.byToken.set(account.token, account);
    this.byXuid.set(account.xuid, account);
  }

  private serialize(): string {
    return `${JSON.stringify(
      {
        version: 1,
        secret: this.secret.toString('base64'),
        accounts: [...this.byXuid.values()],
        titles: this.createdTitles,
      },
      null,
      2,
    )}\n`;
  }
}
