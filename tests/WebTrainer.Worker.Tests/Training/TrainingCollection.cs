namespace WebTrainer.Worker.Tests.Training;

/// <summary>
/// Training tests share libtorch's process-wide state (the default generator that dropout draws
/// from, <c>manual_seed</c>, thread counts): two runs at once would make each other's numbers
/// irreproducible, so these tests run alone, one after another.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TrainingCollection
{
    public const string Name = "Training";
}
