// Defined beside the client (which may import nothing outside its folder); shared here for the server and the web app.
export { MAX_BATCH_SIZE } from '../client/batch';
