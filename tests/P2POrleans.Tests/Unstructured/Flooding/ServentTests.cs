using P2POrleans.Unstructured;
using P2POrleans.Unstructured.Flooding;

namespace P2POrleans.Tests.Unstructured.Flooding;

/// <summary>One servent's routing rules (spec 2.3), message by message.</summary>
public sealed class ServentTests
{
    private static readonly TimeSpan T0 = TimeSpan.Zero;
    private static readonly PeerEndpoint A = PeerEndpoint.ForNode(1);
    private static readonly PeerEndpoint B = PeerEndpoint.ForNode(2);
    private static readonly PeerEndpoint C = PeerEndpoint.ForNode(3);

    private static Servent NewServent(ServentOptions? options = null, params SharedFile[] files)
    {
        var identity = new ServentIdentity(Guid.NewGuid(), PeerEndpoint.ForNode(0), 1000);
        var servent = new Servent(identity, new LocalFilesResponder(identity, new SharedLibrary(files)), options ?? ServentOptions.Default, new Random(1));
        servent.AddNeighbour(A);
        servent.AddNeighbour(B);
        servent.AddNeighbour(C);
        return servent;
    }

    private static Descriptor QueryFor(string text, byte ttl = 5, byte hops = 2, Guid? id = null) =>
        new(id ?? Guid.NewGuid(), ttl, hops, new Query(0, text));

    private static Descriptor HitFor(Guid queryId, Guid serventId, byte ttl = 3) =>
        new(queryId, ttl, 0, new QueryHit(6346, 0x0A0000FF, 100, [new QueryHitResult(1, 10, "x")], serventId));

    [Fact]
    public void Ping_is_answered_with_a_pong_and_forwarded_to_every_other_neighbour_with_ttl_down_and_hops_up()
    {
        var servent = NewServent(files: [new SharedFile(0, 4096, "song.mp3")]);
        var ping = new Descriptor(Guid.NewGuid(), 5, 2, Ping.Instance);
        var output = servent.Receive(A, ping, T0);

        Assert.Null(output.Dropped);
        var pong = Assert.Single(output.Send, o => o.Descriptor.Payload is Pong);
        Assert.Equal(A, pong.To);
        Assert.Equal(ping.Id, pong.Descriptor.Id);
        Assert.Equal(3, pong.Descriptor.Ttl); // the Ping's hops after this hop: the way back
        Assert.Equal(new Pong(6346, servent.Endpoint.Address, 1, 4), pong.Descriptor.Payload);
        var forwarded = output.Send.Where(o => o.Descriptor.Payload is Ping).ToArray();
        Assert.Equal([B, C], forwarded.Select(o => o.To).Order());
        Assert.All(forwarded, o => Assert.Equal((4, 3), (o.Descriptor.Ttl, o.Descriptor.Hops)));
        Assert.All(forwarded, o => Assert.Equal(ping.Id, o.Descriptor.Id));
    }

    [Fact]
    public void A_duplicate_descriptor_id_is_dropped_even_from_another_neighbour()
    {
        var servent = NewServent();
        var query = QueryFor("abc");
        Assert.Null(servent.Receive(A, query, T0).Dropped);
        var again = servent.Receive(B, query with { Ttl = 7, Hops = 0 }, T0);
        Assert.Equal(DropReason.Duplicate, again.Dropped);
        Assert.Empty(again.Send);
        Assert.Equal(1, servent.Counters.Duplicates);
    }

    [Fact]
    public void The_same_id_with_another_payload_type_is_not_a_duplicate()
    {
        var servent = NewServent();
        var id = Guid.NewGuid();
        Assert.Null(servent.Receive(A, new Descriptor(id, 3, 0, Ping.Instance), T0).Dropped);
        Assert.Null(servent.Receive(A, QueryFor("abc", id: id), T0).Dropped);
    }

    [Fact]
    public void A_seen_entry_expires_after_its_lifetime()
    {
        var servent = NewServent(new ServentOptions { SeenLifetime = TimeSpan.FromSeconds(30) });
        var query = QueryFor("abc");
        servent.Receive(A, query, T0);
        Assert.Equal(DropReason.Duplicate, servent.Receive(B, query, TimeSpan.FromSeconds(29)).Dropped);
        Assert.Null(servent.Receive(B, query, TimeSpan.FromSeconds(30)).Dropped);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public void A_descriptor_whose_ttl_reaches_zero_is_not_forwarded(byte ttl)
    {
        var servent = NewServent(files: [new SharedFile(0, 1, "abc")]);
        var output = servent.Receive(A, QueryFor("abc", ttl: ttl), T0);
        Assert.DoesNotContain(output.Send, o => o.Descriptor.Payload is Query);
        if (ttl == 0)
        {
            Assert.Equal(DropReason.TtlExhausted, output.Dropped);
        }
        else
        {
            Assert.Single(output.Send, o => o.Descriptor.Payload is QueryHit); // answered locally, not passed on
            Assert.Equal(1, servent.Counters.NotForwardedTtl);
        }
    }

    [Fact]
    public void A_ttl_above_the_maximum_is_clamped_before_forwarding()
    {
        var servent = NewServent(new ServentOptions { MaxTtl = 7 });
        var output = servent.Receive(A, QueryFor("abc", ttl: 200, hops: 0), T0);
        Assert.All(output.Send, o => Assert.Equal(6, o.Descriptor.Ttl));
        Assert.Equal(2, output.Send.Count);
        Assert.Equal(1, servent.Counters.TtlClamped);
    }

    [Fact]
    public void A_query_hit_goes_back_only_to_the_neighbour_the_query_came_from()
    {
        var servent = NewServent();
        var query = QueryFor("abc");
        servent.Receive(B, query, T0);
        var hit = HitFor(query.Id, Guid.NewGuid());
        var output = servent.Receive(C, hit, T0);
        var back = Assert.Single(output.Send);
        Assert.Equal(B, back.To);
        Assert.Equal((2, 1), (back.Descriptor.Ttl, back.Descriptor.Hops));
    }

    [Fact]
    public void Responses_without_a_request_are_dropped()
    {
        var servent = NewServent();
        Assert.Equal(DropReason.NoRoute, servent.Receive(A, HitFor(Guid.NewGuid(), Guid.NewGuid()), T0).Dropped);
        Assert.Equal(DropReason.NoRoute, servent.Receive(A, new Descriptor(Guid.NewGuid(), 3, 0, new Pong(1, 1, 1, 1)), T0).Dropped);
        // a QueryHit for a Ping id is not routed: the seen table is keyed by (id, type)
        var ping = new Descriptor(Guid.NewGuid(), 3, 0, Ping.Instance);
        servent.Receive(A, ping, T0);
        Assert.Equal(DropReason.NoRoute, servent.Receive(B, HitFor(ping.Id, Guid.NewGuid()), T0).Dropped);
    }

    [Fact]
    public void Responses_to_own_requests_are_delivered_not_forwarded()
    {
        var servent = NewServent();
        var start = servent.StartQuery("abc", T0);
        Assert.Equal(3, start.Send.Count);
        var output = servent.Receive(A, HitFor(start.Descriptor.Id, Guid.NewGuid(), ttl: 1), T0);
        Assert.Empty(output.Send);
        Assert.IsType<QueryHit>(Assert.Single(output.Delivered).Payload);
        // its own query coming back round a cycle is a duplicate
        Assert.Equal(DropReason.Duplicate, servent.Receive(B, start.Descriptor with { Ttl = 5, Hops = 2 }, T0).Dropped);
    }

    [Fact]
    public void Push_is_routed_by_servent_id_along_the_query_hit_path()
    {
        var servent = NewServent();
        var query = QueryFor("abc");
        servent.Receive(A, query, T0);
        var responder = Guid.NewGuid();
        servent.Receive(C, HitFor(query.Id, responder), T0);

        var push = new Descriptor(Guid.NewGuid(), 7, 0, new Push(responder, 1, 0x0A000001, 6346));
        var output = servent.Receive(A, push, T0);
        Assert.Equal(C, Assert.Single(output.Send).To);

        var unknown = new Descriptor(Guid.NewGuid(), 7, 0, new Push(Guid.NewGuid(), 1, 0x0A000001, 6346));
        Assert.Equal(DropReason.NoRoute, servent.Receive(A, unknown, T0).Dropped);
        Assert.Equal(DropReason.Duplicate, servent.Receive(B, push, T0).Dropped);

        var mine = new Descriptor(Guid.NewGuid(), 7, 0, new Push(servent.ServentId, 1, 0x0A000001, 6346));
        Assert.Same(mine, Assert.Single(servent.Receive(A, mine, T0).Delivered));
    }

    [Fact]
    public void Descriptors_from_a_peer_that_is_not_a_neighbour_are_dropped()
    {
        var servent = NewServent();
        Assert.Equal(DropReason.NotNeighbour, servent.Receive(PeerEndpoint.ForNode(99), QueryFor("abc"), T0).Dropped);
        servent.RemoveNeighbour(A);
        Assert.Equal(DropReason.NotNeighbour, servent.Receive(A, QueryFor("abc"), T0).Dropped);
    }

    [Fact]
    public void Local_matching_is_by_keyword_case_insensitive_and_respects_minimum_speed()
    {
        var servent = NewServent(files: [new SharedFile(0, 1, "Madonna - Like A Prayer.mp3"), new SharedFile(1, 1, "madonnaish.txt")]);
        var output = servent.Receive(A, QueryFor("MADONNA prayer"), T0);
        var hit = (QueryHit)Assert.Single(output.Send, o => o.Descriptor.Payload is QueryHit).Descriptor.Payload;
        Assert.Equal("Madonna - Like A Prayer.mp3", Assert.Single(hit.Results).FileName);
        Assert.Equal(servent.ServentId, hit.ServentId);

        var fast = servent.Receive(A, new Descriptor(Guid.NewGuid(), 3, 0, new Query(5000, "madonna")), T0);
        Assert.DoesNotContain(fast.Send, o => o.Descriptor.Payload is QueryHit);
    }

    [Fact]
    public void Leaf_neighbours_receive_no_flood()
    {
        var servent = NewServent();
        var leaf = PeerEndpoint.ForNode(4);
        servent.AddNeighbour(leaf, isLeaf: true);
        var output = servent.Receive(A, QueryFor("abc"), T0);
        Assert.DoesNotContain(output.Send, o => o.To == leaf);
        var fromLeaf = servent.Receive(leaf, QueryFor("abc"), T0);
        Assert.Equal([A, B, C], fromLeaf.Send.Select(o => o.To).Order());
    }
}
