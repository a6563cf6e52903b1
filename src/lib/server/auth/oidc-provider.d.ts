/**
 * The part of oidc-provider (v9, no bundled types) that the development eID uses. Not a
 * complete description of the library: add to it when dev-eid.ts needs more.
 */
declare module 'oidc-provider' {
	import type { IncomingMessage, ServerResponse } from 'node:http';

	export interface KoaContext {
		method: string;
		path: string;
		req: IncomingMessage;
		res: ServerResponse;
		status: number;
		body: unknown;
		type: string;
		set(field: string, value: string): void;
		redirect(url: string): void;
	}

	export type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;

	export interface InteractionDetails {
		uid: string;
		prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
		params: Record<string, unknown>;
		session?: { accountId?: string };
		grantId?: string;
	}

	export interface Grant {
		addOIDCScope(scope: string): void;
		addOIDCClaims(claims: string[]): void;
		addResourceScope(indicator: string, scope: string): void;
		save(): Promise<string>;
	}

	export interface GrantConstructor {
		new (properties: { accountId: string; clientId: string }): Grant;
		find(id: string): Promise<Grant | undefined>;
	}

	export interface InteractionResult {
		login?: { accountId: string; acr?: string; amr?: string[]; remember?: boolean };
		consent?: { grantId?: string };
		error?: string;
		error_description?: string;
	}

	export class Provider {
		constructor(issuer: string, configuration: Record<string, unknown>);
		readonly issuer: string;
		readonly Grant: GrantConstructor;
		callback(): (req: IncomingMessage, res: ServerResponse) => void;
		use(middleware: Middleware): this;
		on(event: string, listener: (...args: never[]) => void): this;
		interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
		interactionResult(
			req: IncomingMessage,
			res: ServerResponse,
			result: InteractionResult,
			options?: { mergeWithLastSubmission?: boolean }
		): Promise<string>;
	}

	export default Provider;

	export const errors: {
		OIDCProviderError: new (status: number, message: string) => Error & { status: number; error: string; error_description?: string };
		SessionNotFound: new (description?: string) => Error;
	};
}

declare module 'oidc-provider/lib/adapters/memory_adapter.js' {
	/** The library's in-memory storage (an LRU of 1000 entries), as an adapter class. */
	export function createMemoryAdapter(clockTolerance?: number): new (name: string) => unknown;
}
