export { helloWorldPng, testSessionOptions, zooModel } from "./zoo.ts";
