export { createVideoChangeHub, type ChangeSignal, type VideoChangeHub } from './video-change-hub';
