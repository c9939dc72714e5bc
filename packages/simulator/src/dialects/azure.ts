import { AzureApiError } from '../errors';
import { soraBaseOf, type Dialect } from './dialect';

/** api-version values the v1 video routes accept (the v1 API needs none; `preview` opts into preview features). */
export const AZURE_API_VERSIONS = ['v1', 'preview'];

/**
 * Azure OpenAI's v1 API (MicrosoftDocs/azure-ai-docs, articles/ai-foundry/openai/concepts/video-generation.md):
 * mounted at `/openai/v1`, the key in the `api-key` header, and `model` naming one of the resource's deployments.
 */
export function azureDialect(deployments: readonly string[]): Dialect {
  return {
    name: 'azure',
    prefix: '/openai/v1',
    authenticate(headers, apiKey) {
      const provided = headers['api-key'];
      if (typeof provided !== 'string' || provided === '') {
        throw new AzureApiError(
          401,
          '401',
          'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
        );
      }
      if (provided !== apiKey) {
        throw new AzureApiError(
          401,
          '401',
          'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
        );
      }
    },
    checkQuery(query) {
      const version = query['api-version'];
      if (version === undefined) return;
      if (typeof version !== 'string' || !AZURE_API_VERSIONS.includes(version)) {
        throw new AzureApiError(
          400,
          'BadRequest',
          `API version not supported: '${String(version)}'. The v1 API accepts api-version ${AZURE_API_VERSIONS.join(' or ')}, or none.`,
        );
      }
    },
    acceptModel(model) {
      if (!deployments.includes(model)) {
        throw new AzureApiError(
          404,
          'DeploymentNotFound',
          `The API deployment '${model}' for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.`,
        );
      }
      return { model, soraBase: soraBaseOf(model) };
    },
    videoId: (rawId) => rawId,
    characterId: (rawId) => rawId,
    render: (video) => ({ ...video }),
    listFilter: () => () => true,
    contentVariant: (requested) => requested,
    contentHeaders: () => ({}),
  };
}
