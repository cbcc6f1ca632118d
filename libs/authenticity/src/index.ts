export * from './authenticity.module.js';
export { authenticityProjection } from './infrastructure/authenticity.projection.js';
export * from './application/authenticity-verifier.port.js';
export {
  AnswerAuthenticityCheck,
  DecideAuthenticityHold,
  DecideAuthenticitySourceHold,
} from './application/authenticity-commands.js';
export { drawRank, drawSample, sampleSize } from './domain/sampling.js';
export {
  sourceDrawReason,
  sourceDrawValue,
  sourceHoldMinAnswered,
  sourceSampleId,
} from './domain/source-sampling.js';
export { checkedLeadQuality } from './domain/checked-quality.js';
