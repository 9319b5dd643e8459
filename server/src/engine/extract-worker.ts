/** A pool worker started from the TypeScript sources (tests, tsx); bundles use their own entry. */
import { startExtractWorker } from './extract-pool';

startExtractWorker();
