// openai's optional peers for AWS Bedrock signing are met by @aws-sdk/client-s3's dependencies in packages/core only,
// which would give core its own copy of openai: the server's client and core's error classes would then differ
// (instanceof fails). Nothing here uses Bedrock, so those peers are dropped and every package shares one openai.
const BEDROCK_PEERS = ['@aws-sdk/credential-provider-node', '@smithy/signature-v4', '@smithy/hash-node'];

module.exports = {
  hooks: {
    readPackage(pkg) {
      if (pkg.name === 'openai') {
        for (const name of BEDROCK_PEERS) {
          if (pkg.peerDependencies) delete pkg.peerDependencies[name];
          if (pkg.peerDependenciesMeta) delete pkg.peerDependenciesMeta[name];
        }
      }
      return pkg;
    },
  },
};
