export { createVideoChangeHub, type ChangeSignal, type DirectDelivery, type VideoChangeHub } from './video-change-hub';
