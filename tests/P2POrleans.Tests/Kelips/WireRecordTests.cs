using Orleans.Serialization;
using P2POrleans.Common;
using P2POrleans.Kelips;

namespace P2POrleans.Tests.Kelips;

/// <summary>The records that cross the wire between Kelips grains survive the Orleans serializer.</summary>
public sealed class WireRecordTests
{
    private static readonly Serializer Serializer = TestSerializer.Instance;

    [Fact]
    public void Gossip_messages_and_join_snapshots_round_trip()
    {
        var a = IdSpace.Sha1.Hash("a");
        var b = IdSpace.Sha1.Hash("b");
        var message = new GossipMessage(a, 12, [new MemberEntry(a, 12), new MemberEntry(b, 9, Age: 4)], [new MemberEntry(b, 3, Age: 17)],
            [new FileTuple("x.mp3", b, 4), new FileTuple("y.mp3", a, 5, Deleted: true)]);
        var copy = Serializer.Deserialize<GossipMessage>(Serializer.SerializeToArray(message))!;
        Assert.Equal(message.Sender, copy.Sender);
        Assert.Equal(message.Round, copy.Round);
        Assert.Equal(message.Members, copy.Members);
        Assert.Equal(message.Contacts, copy.Contacts);
        Assert.Equal(message.FileTuples, copy.FileTuples);

        var snapshot = new JoinSnapshot(b, 3, [new MemberEntry(a, 1)], [], [new FileTuple("z", a, 1)]);
        var snapshotCopy = Serializer.Deserialize<JoinSnapshot>(Serializer.SerializeToArray(snapshot))!;
        Assert.Equal(snapshot.GroupMembers, snapshotCopy.GroupMembers);
        Assert.Equal(snapshot.FileTuples, snapshotCopy.FileTuples);
        Assert.Equal(snapshot.Responder, snapshotCopy.Responder);

        var backup = new BackupCopy("x.mp3", "la la", 7, [a, b], 41);
        var backupCopy = Serializer.Deserialize<BackupCopy>(Serializer.SerializeToArray(backup))!;
        Assert.Equal((backup.FileName, backup.Content, backup.Heartbeat, backup.HomeHeartbeat), (backupCopy.FileName, backupCopy.Content, backupCopy.Heartbeat, backupCopy.HomeHeartbeat));
        Assert.Equal(backup.Holders, backupCopy.Holders);
        Assert.Equal(a, backupCopy.Home);
    }
}
