/**
 * Variables that widely used libraries read from the environment by themselves, so a service may
 * depend on one without any line of its code naming it. A deployed value for such a name reaches
 * code even when no read of it is seen.
 *
 * Sources, each library's documented default lookup: OpenAI's and Anthropic's SDKs
 * (`OPENAI_API_KEY`, `ANTHROPIC_API_KEY` when no key is passed), Google's Gen AI SDK
 * (`GOOGLE_API_KEY`, `GEMINI_API_KEY`), Sentry's SDKs (`SENTRY_DSN`), boto3 / the AWS SDKs
 * (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), huggingface_hub
 * (`HF_TOKEN`, the older `HUGGING_FACE_HUB_TOKEN`), LangChain / LangSmith tracing
 * (`LANGCHAIN_API_KEY`, `LANGSMITH_API_KEY`), Pinecone, Groq, Mistral and Cohere clients
 * (`PINECONE_API_KEY`, `GROQ_API_KEY`, `MISTRAL_API_KEY`, `CO_API_KEY`), NextAuth / Auth.js
 * (`NEXTAUTH_SECRET`, `AUTH_SECRET`), Prisma's schema and dj-database-url (`DATABASE_URL`,
 * Prisma's `DIRECT_URL`), the Google auth libraries (`GOOGLE_APPLICATION_CREDENTIALS`).
 */
const READ_BY_LIBRARIES: ReadonlySet<string> = new Set([
  'OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GOOGLE_API_KEY', 'GEMINI_API_KEY', 'SENTRY_DSN',
  'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN',
  'LANGCHAIN_API_KEY', 'LANGSMITH_API_KEY', 'PINECONE_API_KEY', 'GROQ_API_KEY', 'MISTRAL_API_KEY', 'CO_API_KEY',
  'NEXTAUTH_SECRET', 'AUTH_SECRET', 'DATABASE_URL', 'DIRECT_URL', 'GOOGLE_APPLICATION_CREDENTIALS',
]);

/**
 * Nitro (and Nuxt, built on it) fill any key of the app's runtime config from a variable named
 * after it at start-up: `NITRO_FIREBASE_PRIVATE_KEY` (`NUXT_…` in Nuxt) overrides
 * `runtimeConfig.firebasePrivateKey` (https://nitro.build/guide/configuration#runtime-configuration,
 * https://nuxt.com/docs/guide/going-further/runtime-config#environment-variables).
 */
const RUNTIME_CONFIG_PREFIXES = /^(?:NITRO|NUXT)_[A-Z0-9]/;

/** Whether a library may read `name` from the environment without the code naming it. */
export function isReadByLibraries(name: string): boolean {
  return READ_BY_LIBRARIES.has(name) || RUNTIME_CONFIG_PREFIXES.test(name);
}
