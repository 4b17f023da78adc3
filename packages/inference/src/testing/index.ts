export { helloWorldPng, testSessionOptions, zooModel } from "./zoo.ts";
export { fullSequenceLogprobs } from "./full-sequence-logprobs.ts";
