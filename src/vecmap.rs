//! A map kept as a vector of pairs, searched in order: what the background's
//! per-tab and per-frame state needs (a few entries to a few thousand), in a
//! fraction of the wasm that `HashMap` (hashbrown, instantiated for every
//! key and value type) costs. Iteration is in insertion order.

use std::borrow::Borrow;

#[derive(Debug, Clone)]
pub struct VecMap<K, V> {
    items: Vec<(K, V)>,
}

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap { items: Vec::new() }
    }
}

impl<K: PartialEq, V> VecMap<K, V> {
    pub fn new() -> Self {
        Self::default()
    }

    fn position<Q: PartialEq + ?Sized>(&self, key: &Q) -> Option<usize>
    where
        K: Borrow<Q>,
    {
        self.items.iter().position(|(k, _)| k.borrow() == key)
    }

    pub fn get<Q: PartialEq + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.items.iter().find(|(k, _)| k.borrow() == key).map(|(_, v)| v)
    }

    pub fn get_mut<Q: PartialEq + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.items.iter_mut().find(|(k, _)| k.borrow() == key).map(|(_, v)| v)
    }

    pub fn contains_key<Q: PartialEq + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.position(key).is_some()
    }

    /// Sets `key`'s value; returns the one it replaces.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.position(&key) {
            Some(i) => Some(std::mem::replace(&mut self.items[i].1, value)),
            None => {
                self.items.push((key, value));
                None
            }
        }
    }

    /// `key`'s value, inserted first (from `make`) when there is none.
    pub fn get_or_insert_with(&mut self, key: K, make: impl FnOnce() -> V) -> &mut V {
        let i = match self.position(&key) {
            Some(i) => i,
            None => {
                self.items.push((key, make()));
                self.items.len() - 1
            }
        };
        &mut self.items[i].1
    }

    pub fn remove<Q: PartialEq + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let i = self.position(key)?;
        Some(self.items.remove(i).1)
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.items.retain_mut(|(k, v)| keep(k, v));
    }

    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.items.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.items.iter().map(|(k, _)| k)
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::VecMap;

    #[test]
    fn behaves_as_a_map() {
        let mut m: VecMap<&'static str, u32> = VecMap::new();
        assert_eq!(m.insert("a", 1), None);
        assert_eq!(m.insert("b", 2), None);
        assert_eq!(m.insert("a", 3), Some(1));
        assert_eq!(m.get("a"), Some(&3));
        assert!(m.contains_key("b"));
        *m.get_or_insert_with("c", || 7) += 1;
        *m.get_or_insert_with("c", || 100) += 1;
        assert_eq!(m.get("c"), Some(&9));
        assert_eq!(m.remove("b"), Some(2));
        assert_eq!(m.remove("b"), None);
        m.retain(|k, v| {
            *v += 1;
            *k != "a"
        });
        assert_eq!(m.iter().collect::<Vec<_>>(), [(&"c", &10)]);
        assert_eq!(m.len(), 1);
    }
}
