-- board packs saved per signed-in user (data/packs.py): the Board pack page's state as JSON
CREATE TABLE IF NOT EXISTS board_packs (user_id VARCHAR PRIMARY KEY, saved_utc TIMESTAMP, pack TEXT);
