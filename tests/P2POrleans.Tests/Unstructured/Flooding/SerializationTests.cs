using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using P2POrleans.Unstructured;
using P2POrleans.Unstructured.Flooding;

namespace P2POrleans.Tests.Unstructured.Flooding;

/// <summary>The wire records cross a grain call: Orleans' generated serializers round-trip them.</summary>
public sealed class SerializationTests
{
    private static readonly Serializer _serializer = new ServiceCollection()
        .AddSerializer(b => b.AddAssembly(typeof(Descriptor).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    private static T RoundTrip<T>(T value) => _serializer.Deserialize<T>(_serializer.SerializeToArray(value))!;

    [Fact]
    public void Descriptors_of_every_payload_type_round_trip()
    {
        var id = Guid.NewGuid();
        DescriptorPayload[] payloads =
        [
            Ping.Instance,
            new Pong(6346, 0x0A000001, 3, 4),
            new Push(id, 2, 0x0A000002, 6347),
            new Query(56, "madonna é"),
            new QueryHit(6346, 0x0A000003, 1000, [new QueryHitResult(1, 2, "a"), new QueryHitResult(3, 4, "b")], id),
        ];
        foreach (var payload in payloads)
        {
            var d = new Descriptor(Guid.NewGuid(), 7, 1, payload);
            Assert.Equal(d, RoundTrip(d));
        }
    }

    [Fact]
    public void Directory_entries_and_servent_identities_round_trip()
    {
        var entry = new DirectoryEntry(new SharedFile(1, 2, "x.mp3"), PeerEndpoint.Parse("10.1.2.3:6699"));
        Assert.Equal(entry, RoundTrip(entry));
        var identity = new ServentIdentity(Guid.NewGuid(), PeerEndpoint.ForNode(3), 384);
        Assert.Equal(identity, RoundTrip(identity));
    }
}
