using System.Diagnostics.CodeAnalysis;

namespace P2POrleans.BitTorrent;

/// <summary>
/// Per-peer state with hash lookups and iteration in peer id order (<see cref="PeerIdComparer"/>),
/// the deterministic order of every per-peer loop. Lookups dominate (one or more per message), so
/// they go to a dictionary; the sorted keys and values are rebuilt only after the set of peers
/// changed. <see cref="Keys"/> and <see cref="Values"/> are snapshots: the map may change while
/// one is iterated.
/// </summary>
public sealed class SortedPeerMap<TValue>
{
    private readonly Dictionary<PeerId, TValue> _map = [];
    private PeerId[]? _keys;
    private TValue[]? _values;

    public int Count => _map.Count;

    /// <summary>The peers, in id order.</summary>
    public IReadOnlyList<PeerId> Keys => _keys ??= [.. _map.Keys.Order(PeerIdComparer.Instance)];

    /// <summary>The values, in their peers' id order.</summary>
    public IReadOnlyList<TValue> Values
    {
        get
        {
            if (_values is null)
            {
                var keys = Keys;
                var values = new TValue[keys.Count];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = _map[keys[i]];
                }

                _values = values;
            }

            return _values;
        }
    }

    public TValue this[PeerId peer]
    {
        get => _map[peer];
        set
        {
            if (!_map.TryAdd(peer, value))
            {
                _map[peer] = value;
                _values = null;
                return;
            }

            _keys = null;
            _values = null;
        }
    }

    public bool ContainsKey(PeerId peer) => _map.ContainsKey(peer);

    public bool TryGetValue(PeerId peer, [MaybeNullWhen(false)] out TValue value) => _map.TryGetValue(peer, out value);

    public TValue? GetValueOrDefault(PeerId peer) => _map.GetValueOrDefault(peer);

    public bool Remove(PeerId peer)
    {
        if (!_map.Remove(peer))
        {
            return false;
        }

        _keys = null;
        _values = null;
        return true;
    }

    public void Clear()
    {
        if (_map.Count > 0)
        {
            _map.Clear();
            _keys = null;
            _values = null;
        }
    }
}
