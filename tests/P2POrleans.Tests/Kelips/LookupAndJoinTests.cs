using P2POrleans.Common;
using P2POrleans.Kelips;

namespace P2POrleans.Tests.Kelips;

/// <summary>The lookup rule (section 2.2) and the join helpers (section 2), on hand-built states.</summary>
public sealed class LookupAndJoinTests
{
    private static readonly KelipsOptions Options = new() { GroupCount = 4, ContactsPerGroup = 2, MaxFallbackMembers = 2 };

    // RTT = |a - b| ms on small integer ids, so "nearest" is easy to read.
    private static double Rtt(NodeId a, NodeId b) => Math.Abs((double)a.Low64 - b.Low64) + 1;

    private static KelipsSoftState Peer(ulong id) => new(NodeId.FromUInt64(id), Options, Rtt, new Random((int)id));

    private static string FileIn(int group) =>
        Enumerable.Range(0, 1000).Select(i => $"song-{i}.mp3").First(n => new AffinityGroups(4).OfFile(n) == group);

    [Fact]
    public void A_file_of_the_own_group_is_answered_from_the_local_filetuples()
    {
        var peer = Peer(8); // 8 mod 4 = group 0
        var file = FileIn(0);
        Assert.Null(peer.PlanLookup(file).LocalAnswer);
        peer.Receive(new GossipMessage(NodeId.FromUInt64(4), 0, [], [], [new FileTuple(file, NodeId.FromUInt64(99), 1)]), 0);
        var plan = peer.PlanLookup(file);
        Assert.True(plan.IsLocal);
        Assert.Equal(NodeId.FromUInt64(99), plan.LocalAnswer!.HomeNode);
        Assert.Empty(plan.Contacts);
    }

    [Fact]
    public void A_foreign_file_goes_to_the_contacts_of_its_group_nearest_first_then_to_group_mates()
    {
        var peer = Peer(8);
        foreach (var id in new ulong[] { 101, 13, 41, 4, 12, 40 })
        {
            peer.Learn(new MemberEntry(NodeId.FromUInt64(id), 1), 0); // group 1: 101, 13, 41; group 0: 4, 12, 40
        }

        var plan = peer.PlanLookup(FileIn(1));
        Assert.False(plan.IsLocal);
        Assert.Equal(1, plan.FileGroup);
        Assert.Equal([13UL, 41UL], plan.Contacts.Select(c => c.Low64)); // c = 2 nearest of group 1
        Assert.Equal([4UL, 12UL], plan.FallbackMembers.Select(c => c.Low64)); // 2 nearest group mates
        Assert.True(plan.CanRoute);

        var lonely = Peer(16);
        Assert.False(lonely.PlanLookup(FileIn(1)).CanRoute);
    }

    [Fact]
    public void A_tombstoned_file_is_not_found()
    {
        var peer = Peer(8);
        var file = FileIn(0);
        peer.Insert(file, 1);
        Assert.NotNull(peer.AnswerLookup(file));
        peer.Delete(file, 2);
        Assert.Null(peer.AnswerLookup(file));
        Assert.False(peer.Hosts(file));
    }

    [Fact]
    public void Inserting_a_foreign_file_sends_the_filetuple_to_the_nearest_contact_of_its_group()
    {
        var peer = Peer(8);
        peer.Learn(new MemberEntry(NodeId.FromUInt64(101), 1), 0);
        peer.Learn(new MemberEntry(NodeId.FromUInt64(13), 1), 0);
        var file = FileIn(1);
        var send = Assert.Single(peer.Insert(file, 3));
        Assert.Equal(13UL, send.Target.Low64);
        Assert.Equal(file, Assert.Single(send.Message.FileTuples).FileName);
        Assert.Null(peer.AnswerLookup(file)); // not our group: we host it but do not index it
        Assert.True(peer.Hosts(file));
    }

    [Fact]
    public void Joining_through_a_group_mate_copies_its_view_contacts_and_filetuples()
    {
        var bootstrap = Peer(8);
        bootstrap.Learn(new MemberEntry(NodeId.FromUInt64(4), 5), 0);
        bootstrap.Learn(new MemberEntry(NodeId.FromUInt64(13), 5), 0);
        var file = FileIn(0);
        bootstrap.Insert(file, 0);

        var newcomer = Peer(12);
        var snapshot = bootstrap.AcceptJoin(new MemberEntry(newcomer.Self, 0), 1);
        newcomer.ApplyJoin(snapshot, 1);

        Assert.True(bootstrap.View.Contains(newcomer.Self));
        Assert.True(newcomer.View.Contains(NodeId.FromUInt64(4)));
        Assert.True(newcomer.View.Contains(NodeId.FromUInt64(8)));
        Assert.True(newcomer.Contacts.Contains(NodeId.FromUInt64(13)));
        Assert.Equal(bootstrap.Self, newcomer.AnswerLookup(file)!.HomeNode);
        Assert.Null(KelipsJoin.GroupBootstrap(newcomer, snapshot));
    }

    [Fact]
    public void Joining_through_a_foreign_peer_yields_group_mates_from_its_contacts_and_it_as_a_contact()
    {
        var bootstrap = Peer(9); // group 1
        bootstrap.Learn(new MemberEntry(NodeId.FromUInt64(4), 5), 0); // group 0: a contact
        bootstrap.Learn(new MemberEntry(NodeId.FromUInt64(13), 5), 0); // group 1: a group mate
        bootstrap.Learn(new MemberEntry(NodeId.FromUInt64(6), 5), 0); // group 2: a contact

        var newcomer = Peer(20); // group 0
        var snapshot = bootstrap.AcceptJoin(new MemberEntry(newcomer.Self, 0), 1);
        newcomer.ApplyJoin(snapshot, 1);

        Assert.True(bootstrap.Contacts.Contains(newcomer.Self));
        Assert.True(newcomer.View.Contains(NodeId.FromUInt64(4)));
        Assert.True(newcomer.Contacts.Contains(NodeId.FromUInt64(9)));
        Assert.True(newcomer.Contacts.Contains(NodeId.FromUInt64(13)));
        Assert.True(newcomer.Contacts.Contains(NodeId.FromUInt64(6)));
        Assert.Equal(NodeId.FromUInt64(4), KelipsJoin.GroupBootstrap(newcomer, snapshot));
    }

    [Fact]
    public void A_newcomer_whose_bootstrap_names_only_dead_group_mates_still_meets_its_group()
    {
        // Section 2: a newcomer learns its view from a live member of its group. A foreign bootstrap
        // names its c contacts there; when they are dead the newcomer joins again through its own
        // nearest contacts (KelipsMaintenance.JoinThroughAsync does the same through the grains).
        var sim = new KelipsSimulation(64, KelipsOptions.ForExpectedPeers(64), 3);
        Assert.InRange(sim.StepUntil(sim.ViewsComplete, 200), 0, 200);
        var bootstrap = sim.Peers.Values.First();
        var id = Enumerable.Range(0, 1000).Select(i => IdSpace.Sha1.Hash($"newcomer-{i}")).First(x => bootstrap.Groups.Of(x) != bootstrap.Group);
        var group = bootstrap.Groups.Of(id);
        var named = bootstrap.Contacts.InGroup(group).Select(c => c.Id).ToList();
        Assert.NotEmpty(named);
        sim.Dead.UnionWith(named);
        var file = Enumerable.Range(0, 1000).Select(i => $"song-{i}.ogg").First(f => bootstrap.Groups.OfFile(f) == group);
        var home = sim.Live.First(p => p.Group == group);
        sim.Insert(home, file);
        sim.StepUntil(() => sim.Live.Where(p => p.Group == group).All(p => p.AnswerLookup(file) is not null), 50);

        var newcomer = sim.Add(id, bootstrap.Self);

        var mates = sim.Live.Where(p => p.Group == group && p.Self != id).Select(p => p.Self).ToHashSet();
        Assert.True(mates.Count > 0);
        Assert.All(mates, mate => Assert.True(newcomer.View.Contains(mate)));
        Assert.Equal(home.Self, newcomer.AnswerLookup(file)?.HomeNode);
        Assert.Contains(sim.Live, p => mates.Contains(p.Self) && p.View.Contains(id));
    }

    [Fact]
    public void Every_group_mate_a_foreign_bootstrap_names_is_a_candidate_nearest_first()
    {
        var bootstrap = Peer(9); // group 1
        bootstrap.Learn(new MemberEntry(NodeId.FromUInt64(4), 5), 0); // group 0
        bootstrap.Learn(new MemberEntry(NodeId.FromUInt64(12), 5), 0); // group 0
        var newcomer = Peer(20); // group 0
        var snapshot = bootstrap.AcceptJoin(new MemberEntry(newcomer.Self, 0), 1);
        newcomer.ApplyJoin(snapshot, 1);
        var expected = new[] { NodeId.FromUInt64(4), NodeId.FromUInt64(12) }.OrderBy(m => Rtt(newcomer.Self, m)).ThenBy(m => m).ToArray();
        Assert.Equal(expected, KelipsJoin.GroupBootstraps(newcomer, snapshot));
        Assert.Equal(expected[0], KelipsJoin.GroupBootstrap(newcomer, snapshot));
    }
}
