/**
 * Fault injection for clients' failure paths: the next matching requests get a chosen status, are
 * delayed, or lose their connection, either before the work or (with `afterCommit`) after it, so a
 * client meets the ambiguous failures section 5.4 talks about. Faults live in memory only.
 */
import { z } from 'zod';

/** The protocol routes a fault can target. */
export const FAULT_ROUTES = [
  'reserve',
  'block',
  'thumbnail',
  'update',
  'get',
  'list',
  'delete',
  'download',
] as const;
export type FaultRoute = (typeof FAULT_ROUTES)[number];

/** Redirect statuses a fault may answer with; the Location is the request's own URL. */
export const REDIRECTS: readonly number[] = [301, 302, 307, 308];

export const FaultSpecSchema = z
  .strictObject({
    route: z.enum(FAULT_ROUTES),
    /** 400-599 answers with an error body; 301/302/307/308 redirect to the same URL (1.1, step 2). */
    status: z
      .number()
      .int()
      .refine((status) => REDIRECTS.includes(status) || (status >= 400 && status <= 599), {
        message: 'status must be 301, 302, 307, 308, or from 400 to 599',
      })
      .optional(),
    times: z.number().int().min(1).max(1_000_000).default(1),
    /**
     * Seconds for Retry-After. 429 and 503 always carry one (1.4), 1 s unless given; `null`
     * leaves it out, for clients that must cope with a service that omits it.
     */
    retryAfter: z.number().int().min(0).max(86_400).nullable().optional(),
    delayMs: z.number().int().min(0).max(600_000).optional(),
    afterCommit: z.boolean().default(false),
    dropConnection: z.boolean().default(false),
    /** Chance that a matching request is hit (default 1); a miss does not use up `times`. */
    probability: z.number().min(0).max(1).default(1),
    /** For `block`: only requests for this blockNum. */
    blockNum: z.number().int().min(0).optional(),
  })
  .refine(
    (spec) => spec.status !== undefined || spec.delayMs !== undefined || spec.dropConnection,
    {
      message: 'A fault needs at least one of status, delayMs or dropConnection.',
    },
  );
export type FaultSpec = z.output<typeof FaultSpecSchema>;

export interface Fault extends FaultSpec {
  readonly id: number;
  remaining: number;
}

export class FaultInjector {
  private faults: Fault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): Fault {
    const fault: Fault = { ...spec, id: this.nextId++, remaining: spec.times };
    this.faults.push(fault);
    return fault;
  }

  clear(): void {
    this.faults = [];
  }

  list(): readonly Fault[] {
    return this.faults;
  }

  /** The fault the next request on `route` meets, if any; uses up one of its `times`. */
  take(route: FaultRoute, blockNum: number | undefined): Fault | undefined {
    const fault = this.faults.find(
      (candidate) =>
        candidate.route === route &&
        (candidate.blockNum === undefined || candidate.blockNum === blockNum),
    );
    if (!fault || Math.random() >= fault.probability) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((other) => other !== fault);
    return fault;
  }
}
