using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace P2POrleans.Tests;

/// <summary>The Orleans serializer with the project's generated codecs, for round-trip tests of wire and storage records.</summary>
public static class TestSerializer
{
    public static Serializer Instance { get; } =
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
}
