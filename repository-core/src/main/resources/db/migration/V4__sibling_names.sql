-- Folders and items share one namespace per folder. Each table's own unique key only keeps its own rows
-- apart, so two writers (a folder and an upload of one name) could both pass a check and both commit.
-- Every folder and item also holds its name here, under one key, so the database refuses the second.
-- parent_key is the parent folder's id, or '-' for a collection, as in folders.
CREATE TABLE sibling_names (
  parent_key VARCHAR(40)  NOT NULL,
  name       VARCHAR(255) NOT NULL,
  entry_id   VARCHAR(40)  NOT NULL,
  CONSTRAINT sibling_names_key PRIMARY KEY (parent_key, name)
);
CREATE UNIQUE INDEX sibling_names_entry ON sibling_names (entry_id);

INSERT INTO sibling_names (parent_key, name, entry_id) SELECT parent_key, name, id FROM folders;

-- An item that already shares its name with a folder beside it (the race above) keeps its content and
-- gets a name of its own, its id in brackets, rather than failing the upgrade: the folder keeps the name
-- (its path is what links and SFTP use), and the owner sees both and can rename.
UPDATE items SET name = SUBSTRING(name, 1, 200) || ' (item ' || id || ')'
 WHERE EXISTS (SELECT 1 FROM folders f WHERE f.parent_key = items.folder_id AND f.name = items.name);

INSERT INTO sibling_names (parent_key, name, entry_id) SELECT folder_id, name, id FROM items;

-- One row whose lock orders the changes that reshape the tree (moves, deletes of folders): each checks
-- for cycles and collects subtrees against the tree the one before it left, never a stale copy.
CREATE TABLE tree_lock (
  id INTEGER PRIMARY KEY
);
INSERT INTO tree_lock (id) VALUES (1);
