/** The upload mode type, where inputs.ts imports it from (the blob copy itself is fanout.ts and transfer.ts). */
export type { UploadMode } from './fanout.js'
