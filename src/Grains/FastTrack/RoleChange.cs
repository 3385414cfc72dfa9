namespace P2POrleans.FastTrack;

public enum RoleChange
{
    None,
    Promoted,
    Demoted,
}
