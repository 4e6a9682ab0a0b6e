// Imported first by the composition root (shared/services.ts), which every trigger module imports:
// OpenTelemetry starts before the modules it instruments load, and before the host seals the
// app's hooks (the trace context hook must be registered while the app loads).
import { startTelemetry } from './start.js';

startTelemetry();
