namespace P2POrleans.Unstructured;

/// <summary>
/// A ternary search tree (Bentley and Sedgewick 1997) mapping non-empty strings to values: each
/// node holds one character and three links (less, equal = next character, greater). Exact
/// lookup, insert and delete cost O(key length + log n) character comparisons; a prefix search
/// walks to the prefix and lists its subtree. Characters compare ordinally, so listings come out
/// in <see cref="StringComparer.Ordinal"/> order. Iterative throughout: long keys cannot overflow
/// the stack. Delete clears the value and prunes nodes that no longer lead anywhere.
/// </summary>
public sealed class TernarySearchTree<T>
{
    private Node? _root;

    public int Count { get; private set; }

    /// <summary>Adds the key or replaces its value; true when the key is new.</summary>
    public bool Insert(string key, T value)
    {
        CheckKey(key);
        ref var slot = ref _root;
        var i = 0;
        while (true)
        {
            slot ??= new Node(key[i]);
            var node = slot;
            var c = key[i];
            if (c < node.Split)
            {
                slot = ref node.Lo;
            }
            else if (c > node.Split)
            {
                slot = ref node.Hi;
            }
            else if (i == key.Length - 1)
            {
                var added = !node.HasValue;
                node.HasValue = true;
                node.Value = value;
                if (added)
                {
                    Count++;
                }

                return added;
            }
            else
            {
                i++;
                slot = ref node.Eq;
            }
        }
    }

    public bool TryGetValue(string key, out T value)
    {
        CheckKey(key);
        var node = FindNode(key);
        if (node is { HasValue: true })
        {
            value = node.Value;
            return true;
        }

        value = default!;
        return false;
    }

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool Remove(string key)
    {
        CheckKey(key);
        var path = new List<(Node? Parent, Link Link, Node Node)>();
        Node? parent = null;
        var link = Link.Root;
        var current = _root;
        var i = 0;
        while (current is not null)
        {
            path.Add((parent, link, current));
            var c = key[i];
            parent = current;
            if (c < current.Split)
            {
                (link, current) = (Link.Lo, current.Lo);
            }
            else if (c > current.Split)
            {
                (link, current) = (Link.Hi, current.Hi);
            }
            else if (i == key.Length - 1)
            {
                break;
            }
            else
            {
                i++;
                (link, current) = (Link.Eq, current.Eq);
            }
        }

        if (current is not { HasValue: true })
        {
            return false;
        }

        current.HasValue = false;
        current.Value = default!;
        Count--;

        // prune from the bottom: a node with no value and no equal-link is only a signpost; with at
        // most one of lo/hi it can be replaced by that child (BST splice); with both it stays
        for (var k = path.Count - 1; k >= 0; k--)
        {
            var (p, l, n) = path[k];
            if (n.HasValue || n.Eq is not null || (n.Lo is not null && n.Hi is not null))
            {
                break;
            }

            var replacement = n.Lo ?? n.Hi;
            switch (l)
            {
                case Link.Root:
                    _root = replacement;
                    break;
                case Link.Lo:
                    p!.Lo = replacement;
                    break;
                case Link.Eq:
                    p!.Eq = replacement;
                    break;
                default:
                    p!.Hi = replacement;
                    break;
            }
        }

        return true;
    }

    /// <summary>Every key that starts with <paramref name="prefix"/> (all keys for ""), in ordinal order.</summary>
    public IReadOnlyList<KeyValuePair<string, T>> PrefixSearch(string prefix, int maxResults = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentOutOfRangeException.ThrowIfNegative(maxResults);
        var results = new List<KeyValuePair<string, T>>();
        Node? start;
        if (prefix.Length == 0)
        {
            start = _root;
        }
        else
        {
            var node = FindNode(prefix);
            if (node is null)
            {
                return results;
            }

            if (node.HasValue)
            {
                results.Add(new(prefix, node.Value));
            }

            start = node.Eq;
        }

        if (start is null || results.Count >= maxResults)
        {
            return results.Take(maxResults).ToList();
        }

        // in-order walk: lo subtree, the node's own key, its eq subtree, hi subtree. The key being
        // built lives in one buffer indexed by depth, so a long key costs O(length), not O(length²).
        var buffer = new char[Math.Max(16, prefix.Length * 2)];
        prefix.CopyTo(buffer);
        var stack = new Stack<(Node Node, int Depth, bool Visit)>();
        stack.Push((start, prefix.Length, false));
        while (stack.TryPop(out var frame) && results.Count < maxResults)
        {
            var n = frame.Node;
            if (!frame.Visit)
            {
                if (n.Hi is not null)
                {
                    stack.Push((n.Hi, frame.Depth, false));
                }

                stack.Push((n, frame.Depth, true));
                if (n.Lo is not null)
                {
                    stack.Push((n.Lo, frame.Depth, false));
                }

                continue;
            }

            if (frame.Depth >= buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            buffer[frame.Depth] = n.Split;
            if (n.Eq is not null)
            {
                stack.Push((n.Eq, frame.Depth + 1, false));
            }

            if (n.HasValue)
            {
                results.Add(new(new string(buffer, 0, frame.Depth + 1), n.Value));
            }
        }

        return results;
    }

    /// <summary>Number of nodes, for measuring the memory a directory costs and that delete prunes.</summary>
    public int NodeCount()
    {
        var count = 0;
        var stack = new Stack<Node>();
        if (_root is not null)
        {
            stack.Push(_root);
        }

        while (stack.TryPop(out var n))
        {
            count++;
            foreach (var child in new[] { n.Lo, n.Eq, n.Hi })
            {
                if (child is not null)
                {
                    stack.Push(child);
                }
            }
        }

        return count;
    }

    private Node? FindNode(string key)
    {
        var node = _root;
        var i = 0;
        while (node is not null)
        {
            var c = key[i];
            if (c < node.Split)
            {
                node = node.Lo;
            }
            else if (c > node.Split)
            {
                node = node.Hi;
            }
            else if (i == key.Length - 1)
            {
                return node;
            }
            else
            {
                i++;
                node = node.Eq;
            }
        }

        return null;
    }

    private static void CheckKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0)
        {
            throw new ArgumentException("a ternary search tree key is not empty", nameof(key));
        }
    }

    private enum Link
    {
        Root,
        Lo,
        Eq,
        Hi,
    }

    private sealed class Node(char split)
    {
        public readonly char Split = split;
        public Node? Lo;
        public Node? Eq;
        public Node? Hi;
        public bool HasValue;
        public T Value = default!;
    }
}
