// The entry of the batch mode's image threads when they run from separate files (`augmix run`, tests); the
// Lambda bundle serves the same tasks from its own file (see lambda/backfill-batch.ts).
import { serveImageTasks } from './image-thread.js';

serveImageTasks();
