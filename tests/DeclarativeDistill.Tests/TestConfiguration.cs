using Xunit;

// TorchSharp's global random generator (weight initialisation, dropout, augmentation) is one per process.
// Tests that seed it and compare weights exactly must not interleave with tests that draw from it.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
