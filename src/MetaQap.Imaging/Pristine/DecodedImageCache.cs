namespace MetaQap.Imaging.Pristine;

/// <summary>
/// Least-recently-used cache of decoded photos, bounded by their memory (a 2560×1920 photo is 15 MB packed).
/// Thread-safe; a photo requested by several threads at once is decoded once. The newest entry
/// is always kept, so one photo larger than the bound still works, it just is not shared for long.
/// </summary>
internal sealed class DecodedImageCache(long capacityBytes)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recency = new();
    private long _bytes;

    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public PackedPhoto GetOrAdd(int key, Func<int, PackedPhoto> load)
    {
        Entry entry;
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out LinkedListNode<Entry>? node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                entry = node.Value;
            }
            else
            {
                entry = new Entry(key, new Lazy<PackedPhoto>(() => load(key), LazyThreadSafetyMode.ExecutionAndPublication));
                _entries.Add(key, _recency.AddFirst(entry));
            }
        }

        PackedPhoto photo;
        try
        {
            photo = entry.Photo.Value;
        }
        catch
        {
            Forget(entry);
            throw;
        }

        Account(entry, photo);
        return photo;
    }

    private void Account(Entry entry, PackedPhoto photo)
    {
        lock (_gate)
        {
            if (entry.Bytes != 0 || !_entries.TryGetValue(entry.Key, out LinkedListNode<Entry>? node) || node.Value != entry)
            {
                return;
            }

            entry.Bytes = photo.Bytes;
            _bytes += entry.Bytes;
            while (_bytes > capacityBytes && _recency.Last is { } oldest && oldest.Value != entry)
            {
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Key);
                _bytes -= oldest.Value.Bytes;
            }
        }
    }

    private void Forget(Entry entry)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(entry.Key, out LinkedListNode<Entry>? node) && node.Value == entry)
            {
                _recency.Remove(node);
                _entries.Remove(entry.Key);
                _bytes -= entry.Bytes;
            }
        }
    }

    private sealed class Entry(int key, Lazy<PackedPhoto> photo)
    {
        public int Key { get; } = key;

        public Lazy<PackedPhoto> Photo { get; } = photo;

        /// <summary>Zero until the photo is decoded and counted against the capacity.</summary>
        public long Bytes { get; set; }
    }
}
