"""Menu entry and audit labels of the schools' documents."""
from portal.audit.actions import register as register_actions
from portal.core.navigation import NavEntry, register

register(NavEntry("校本研修汇总", "schools:summary", "schools.view_training_summary", order=27))

register_actions({
    "schools.training.save": "保存校本研修与考核方案",
    "schools.group.add": "添加科组",
    "schools.group.update": "修改科组",
    "schools.group.remove": "删除科组",
    "schools.teacher.add": "登记教师",
    "schools.teacher.update": "修改教师信息",
    "schools.teacher.remove": "删除教师",
    "schools.session.add": "添加研修安排",
    "schools.session.update": "修改研修安排",
    "schools.session.remove": "删除研修安排",
    "schools.score.save": "保存考核评分",
    "schools.ability_point.add": "增补能力点",
})
