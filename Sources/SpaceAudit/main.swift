print("spaceaudit")
