namespace P2POrleans.Kelips;

/// <summary>The overlay's wire parameters as the pure core's options.</summary>
public static class KelipsParametersExtensions
{
    public static KelipsOptions ToOptions(this KelipsParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var defaults = new KelipsOptions { GroupCount = 1 };
        var k = parameters.GroupCount;
        var tupleTimeout = parameters.FileTupleTimeoutRounds > 0
            ? parameters.FileTupleTimeoutRounds
            : KelipsOptions.GrownFileTupleTimeout(k, parameters.ExpectedPeers, parameters.ExpectedFiles, parameters.Fanout, defaults.ContactGossipProbability, defaults.MaxFileTuplesPerMessage);
        var memberTimeout = parameters.MemberTimeoutRounds;
        var contactTimeout = parameters.ContactTimeoutRounds > 0
            ? parameters.ContactTimeoutRounds
            : KelipsOptions.GrownContactTimeout(k, parameters.Contacts, parameters.Fanout, defaults.ContactGossipProbability);
        return new KelipsOptions
        {
            GroupCount = k,
            ContactsPerGroup = parameters.Contacts,
            Fanout = parameters.Fanout,
            MemberTimeoutRounds = memberTimeout,
            ContactTimeoutRounds = contactTimeout,
            ContactSuspectRounds = parameters.ContactSuspectRounds > 0 ? parameters.ContactSuspectRounds : long.MaxValue,
            FileTupleTimeoutRounds = tupleTimeout,

            // Death records must outlast every copy of a dead peer still circulating (KelipsOptions).
            ForgetRemovedAfterRounds = Math.Max(defaults.ForgetRemovedAfterRounds, 2 * Math.Max(memberTimeout, contactTimeout)),
        };
    }
}
