// Tests share TorchSharp's global RNG and the machine's two cores: run them one at a time.
[assembly: DoNotParallelize]
