namespace P2POrleans.Common;

/// <summary>A set with O(1) add, remove and uniform random pick (by index), plus a sorted snapshot.</summary>
public sealed class MemberSet
{
    private readonly List<NodeId> _list = [];
    private readonly Dictionary<NodeId, int> _index = [];

    public int Count => _list.Count;

    public NodeId this[int i] => _list[i];

    public bool Contains(NodeId id) => _index.ContainsKey(id);

    public bool Add(NodeId id)
    {
        if (!_index.TryAdd(id, _list.Count))
        {
            return false;
        }

        _list.Add(id);
        return true;
    }

    public bool Remove(NodeId id)
    {
        if (!_index.Remove(id, out var i))
        {
            return false;
        }

        var last = _list[^1];
        _list.RemoveAt(_list.Count - 1);
        if (i < _list.Count)
        {
            _list[i] = last;
            _index[last] = i;
        }

        return true;
    }

    public void Clear()
    {
        _list.Clear();
        _index.Clear();
    }

    public List<NodeId> Sorted()
    {
        var copy = new List<NodeId>(_list);
        copy.Sort();
        return copy;
    }
}
