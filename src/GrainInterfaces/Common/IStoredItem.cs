namespace P2POrleans.Common;

/// <summary>A key/value pair with the key's id in the overlay's id space, as the distributed hash tables store it.</summary>
public interface IStoredItem
{
    string Key { get; }

    NodeId KeyId { get; }

    string Value { get; }
}
