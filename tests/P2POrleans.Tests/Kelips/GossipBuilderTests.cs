using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.Common;
using P2POrleans.Kelips;

namespace P2POrleans.Tests.Kelips;

/// <summary>Gossip is bounded (Kelips section 2.1): constant size and count per peer per round.</summary>
public sealed class GossipBuilderTests
{
    public static Arbitrary<GossipCase> Cases() =>
        (from k in Gen.Choose(1, 6)
         from members in Gen.Choose(0, 60)
         from others in Gen.Choose(0, 80)
         from files in Gen.Choose(0, 60)
         from hosted in Gen.Choose(0, 20)
         from fanout in Gen.Choose(1, 5)
         from maxMembers in Gen.Choose(1, 10)
         from maxContacts in Gen.Choose(0, 6)
         from maxTuples in Gen.Choose(0, 10)
         from seed in Gen.Choose(0, 10_000)
         select new GossipCase(k, members, others, files, hosted, fanout, maxMembers, maxContacts, maxTuples, seed)).ToArbitrary();

    [Property(Arbitrary = [typeof(GossipBuilderTests)], MaxTest = 150)]
    public bool Messages_never_exceed_the_caps_and_a_round_never_exceeds_the_fanout(GossipCase c)
    {
        var options = new KelipsOptions
        {
            GroupCount = c.Groups,
            Fanout = c.Fanout,
            ContactGossipProbability = 0.3,
            MaxMembersPerMessage = c.MaxMembers,
            MaxContactsPerMessage = c.MaxContacts,
            MaxFileTuplesPerMessage = c.MaxTuples,
        };
        var peer = Populate(options, c);
        for (long round = 1; round <= 8; round++)
        {
            var sends = peer.Step(round);
            if (sends.Count > options.Fanout || sends.Select(s => s.Target).Distinct().Count() != sends.Count)
            {
                return false;
            }

            foreach (var send in sends)
            {
                var m = send.Message;
                if (send.Target == peer.Self
                    || m.Members.Length > options.MaxMembersPerMessage
                    || m.Contacts.Length > options.MaxContactsPerMessage
                    || m.FileTuples.Length > options.MaxFileTuplesPerMessage
                    || send.Bytes > options.MaxMessageBytes
                    || m.Members[0] != new MemberEntry(peer.Self, peer.View.OwnHeartbeat)
                    || m.Members.Select(e => e.Id).Distinct().Count() != m.Members.Length
                    || m.FileTuples.Select(t => t.FileName).Distinct().Count() != m.FileTuples.Length)
                {
                    return false;
                }

                // A group member only gets its group's filetuples; a contact only its group's.
                var targetGroup = peer.Groups.Of(send.Target);
                if (m.FileTuples.Any(t => peer.Groups.OfFile(t.FileName) != targetGroup))
                {
                    return false;
                }
            }
        }

        return true;
    }

    [Fact]
    public void Round_robin_eventually_gossips_every_entry()
    {
        var options = new KelipsOptions
        {
            GroupCount = 1,
            Fanout = 1,
            HotRounds = 0,
            MaxMembersPerMessage = 4,
            MaxFileTuplesPerMessage = 3,
            MemberTimeoutRounds = 1000,
            FileTupleTimeoutRounds = 1000,
            ForgetRemovedAfterRounds = 1000,
        };
        var peer = Populate(options, new GossipCase(1, 30, 0, 25, 0, 1, 4, 0, 3, 42));
        var seenMembers = new HashSet<NodeId>();
        var seenFiles = new HashSet<string>();
        for (long round = 1; round <= 12; round++)
        {
            foreach (var send in peer.BuildGossip(round))
            {
                seenMembers.UnionWith(send.Message.Members.Select(e => e.Id));
                seenFiles.UnionWith(send.Message.FileTuples.Select(t => t.FileName));
            }
        }

        // 30 others at 3 per message and 25 tuples at 3 per message: covered within 12 rounds.
        Assert.Equal(31, seenMembers.Count);
        Assert.Equal(25, seenFiles.Count);
    }

    [Fact]
    public void Gossip_prefers_near_members()
    {
        var options = new KelipsOptions { GroupCount = 1, Fanout = 1, ContactGossipProbability = 0 };
        var self = NodeId.FromUInt64(0);
        var peer = new KelipsSoftState(self, options, (_, to) => to.Low64 == 1 ? 1.0 : 100.0, new Random(3));
        for (ulong id = 1; id <= 10; id++)
        {
            peer.Learn(new MemberEntry(NodeId.FromUInt64(id), 1), 0);
        }

        var near = Enumerable.Range(1, 400).Count(r => peer.BuildGossip(r)[0].Target == NodeId.FromUInt64(1));

        // Weight 1 against nine weights of 0.01: about 92% of the rounds go to the near peer.
        Assert.InRange(near, 320, 400);
    }

    private static KelipsSoftState Populate(KelipsOptions options, GossipCase c)
    {
        var random = new Random(c.Seed);
        var self = NodeId.FromUInt64(1_000_003);
        var peer = new KelipsSoftState(self, options, (a, b) => ((a.Low64 ^ b.Low64) % 97) + 1, new Random(c.Seed + 1));
        var added = 0;
        for (ulong id = 1; added < c.Members && id < 100_000; id++)
        {
            if (peer.Groups.Of(NodeId.FromUInt64(id)) == peer.Group)
            {
                peer.Learn(new MemberEntry(NodeId.FromUInt64(id), random.Next(1, 50)), 0);
                added++;
            }
        }

        for (var i = 0; i < c.Others; i++)
        {
            peer.Learn(new MemberEntry(NodeId.FromUInt64((ulong)random.Next(200_000, 300_000)), 1), 0);
        }

        for (var i = 0; i < c.Files; i++)
        {
            peer.FileTuples.Merge(new FileTuple($"file-{i}", NodeId.FromUInt64((ulong)i), 1), 0);
        }

        for (var i = 0; i < c.Hosted; i++)
        {
            peer.Insert($"hosted-{i}", 0);
        }

        return peer;
    }

    public sealed record GossipCase(
        int Groups, int Members, int Others, int Files, int Hosted, int Fanout, int MaxMembers, int MaxContacts, int MaxTuples, int Seed);
}
